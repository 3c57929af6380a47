/**
 * Turns Fastify/AJV schema-validation failures into MDE error codes and messages (mde-api.md §2.1,
 * §2.2): body parameter names are case-sensitive, so a wrong-case name gets a did-you-mean hint.
 */
import type { ErrorCode } from '@cordon/protocol';

/** The fields of an AJV error we read (Fastify passes AJV's errors through as `error.validation`). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

export type ValidationContext = 'body' | 'querystring' | 'params' | 'headers' | string;

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

export interface MappedError {
  code: ErrorCode;
  message: string;
}

/**
 * @param errors AJV errors, first one first (AJV lists a union's branch failures before the `anyOf`).
 * @param data the validated input (for the offending value); @param schema the schema it was checked against.
 */
export function mapValidationErrors(errors: readonly SchemaError[], context: ValidationContext, data: unknown, schema: unknown): MappedError {
  const first = errors[0];
  const fallback: ErrorCode = context === 'body' ? 'InvalidRequestBody' : 'InvalidInput';
  if (!first) return { code: fallback, message: context === 'body' ? 'Invalid request body' : `Invalid ${context}` };
  const path = segments(first.instancePath);
  const where = describePath(path);

  if (first.keyword === 'required') {
    const name = String(first.params.missingProperty ?? '');
    const parent = valueAt(data, path);
    const sent = parent && typeof parent === 'object' ? Object.keys(parent).find((k) => k.toLowerCase() === name.toLowerCase()) : undefined;
    const hint = sent ? `; body parameter names are case-sensitive and '${sent}' was sent` : '';
    return { code: 'MissingRequiredParameter', message: `Parameter ${describePath([...path, name])} is missing${hint}` };
  }
  if (first.keyword === 'additionalProperties') {
    const name = String(first.params.additionalProperty ?? '');
    const allowed = Object.keys(schemaAt(schema, path)?.properties ?? {});
    const sameButCase = allowed.find((a) => a !== name && a.toLowerCase() === name.toLowerCase());
    const label = `${context === 'body' ? 'Body parameter' : 'Parameter'} '${describePath([...path, name])}' is not allowed`;
    const hint = sameButCase
      ? `; body parameter names are case-sensitive; did you mean '${sameButCase}'?`
      : allowed.length > 0
        ? `; allowed parameters: ${allowed.join(', ')}`
        : '';
    return { code: fallback, message: `${label}${hint}` };
  }
  const value = valueAt(data, path);
  if (path[path.length - 1] === 'Sha1') return { code: 'InvalidHashValue', message: `Hash value ${show(value)} is invalid` };

  const allowedValues = literalsAt(errors, first.instancePath);
  if (allowedValues.length > 0) {
    return { code: fallback, message: `Invalid value ${show(value)} for ${where}; allowed values: ${allowedValues.join(', ')}` };
  }
  if (path.length === 0 && first.keyword === 'type') {
    return { code: fallback, message: context === 'body' ? 'Request body must be a JSON object' : `Invalid ${context}` };
  }
  return { code: fallback, message: `${where} ${first.message ?? 'is invalid'}` };
}

/** Values of a union of literals (TypeBox `Union([Literal...])` → anyOf of const) or an enum, at one path. */
function literalsAt(errors: readonly SchemaError[], instancePath: string): string[] {
  const values: string[] = [];
  for (const e of errors) {
    if (e.instancePath !== instancePath) continue;
    if (e.keyword === 'const') values.push(String(e.params.allowedValue));
    if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) values.push(...e.params.allowedValues.map(String));
  }
  return [...new Set(values)];
}

/** `/Commands/0/type` → ['Commands', '0', 'type'] (JSON Pointer unescaping). */
function segments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** ['Commands', '0', 'type'] → `Commands[0].type`. */
function describePath(path: readonly string[]): string {
  if (path.length === 0) return 'body';
  return path.reduce((acc, seg, i) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : i === 0 ? seg : `${acc}.${seg}`), '');
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function schemaAt(schema: unknown, path: readonly string[]): JsonSchema | undefined {
  let cur = schema as JsonSchema | undefined;
  for (const seg of path) {
    if (!cur) return undefined;
    cur = /^\d+$/.test(seg) && cur.items ? cur.items : cur.properties?.[seg];
  }
  return cur;
}

/** Values are echoed in messages: strings as-is (truncated), anything else as JSON. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined';
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

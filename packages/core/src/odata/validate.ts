/**
 * Checks a `$filter` syntax tree against an entity's field map and builds the frozen, canonical
 * AST (ast.ts): names resolved case-insensitively to their canonical spelling, literals typed
 * against the field (enum values canonicalised, GUIDs lowercased, datetimes normalised), and
 * operators checked per field type.
 */
import { DomainError } from '../errors.js';
import type { ComparisonOperator, FieldMap, FieldSpec, FieldType, FilterNode, ODataLiteral, StringFunction } from './ast.js';
import { normaliseDateTime } from './lexer.js';
import type { SyntaxLiteral, SyntaxName, SyntaxNode } from './parser.js';

/** A resolved property: canonical name plus spec. */
export interface ResolvedField {
  readonly name: string;
  readonly spec: FieldSpec;
}

const ORDERED_TYPES: ReadonlySet<FieldType> = new Set(['datetime', 'number', 'string', 'guid']);
const STRING_LIKE_TYPES: ReadonlySet<FieldType> = new Set(['string', 'guid', 'enum']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPTION = '$filter';

function odataError(message: string, position: number, option = OPTION): never {
  throw new DomainError('ODataError', message, { details: { option, position } });
}

/**
 * Resolves `name` case-insensitively against `fields`. `use` says which capability the option
 * needs: `filterable` for $filter, `sortable` for $orderby, `any` for $select.
 */
export function resolveField(fields: FieldMap, name: SyntaxName, option: string, use: 'filterable' | 'sortable' | 'any'): ResolvedField {
  const lower = name.name.toLowerCase();
  const canonical = Object.keys(fields).find((key) => key.toLowerCase() === lower);
  if (canonical === undefined) odataError(`Property '${name.name}' is not supported in ${option} at position ${name.position}`, name.position, option);
  const spec = fields[canonical];
  if (use !== 'any' && !spec[use]) {
    odataError(`Property '${canonical}' cannot be used in ${option} at position ${name.position}`, name.position, option);
  }
  return { name: canonical, spec };
}

/** Validates a `$filter` syntax tree; the result and every node in it are frozen. */
export function validateFilter(node: SyntaxNode, fields: FieldMap): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return freeze({ kind: node.kind, left: validateFilter(node.left, fields), right: validateFilter(node.right, fields) });
    case 'not':
      return freeze({ kind: 'not', operand: validateFilter(node.operand, fields) });
    case 'compare':
      return validateCompare(node.op, resolveField(fields, node.field, OPTION, 'filterable'), node.value, node.position);
    case 'in': {
      const field = resolveField(fields, node.field, OPTION, 'filterable');
      if (field.spec.type === 'boolean' || field.spec.type === 'stringArray') unsupportedOperator('in', field, node.position);
      const values = node.values.map((value) => {
        if (value.kind === 'null') odataError(`null is not allowed in an 'in' list in $filter at position ${value.position}`, value.position);
        return literalFor(field, value);
      });
      return freeze({ kind: 'in', field: field.name, values: Object.freeze(values) });
    }
    case 'function': {
      const field = resolveField(fields, node.field, OPTION, 'filterable');
      if (!STRING_LIKE_TYPES.has(field.spec.type)) unsupportedOperator(node.name, field, node.position);
      return freeze({ kind: 'function', name: node.name, field: field.name, value: stringArgument(node.name, field, node.value) });
    }
    case 'any': {
      const field = resolveField(fields, node.field, OPTION, 'filterable');
      if (field.spec.type !== 'stringArray') odataError(`Property '${field.name}' is not a collection; any() is not supported on it in $filter at position ${node.field.position}`, node.field.position);
      if (node.negated) odataError(`A negated predicate inside any() is not supported in $filter at position ${node.position}`, node.position);
      return freeze({ kind: 'any', field: field.name, op: node.op, value: stringArgument(node.op, field, node.value) });
    }
  }
}

function validateCompare(op: ComparisonOperator, field: ResolvedField, value: SyntaxLiteral, position: number): FilterNode {
  const type = field.spec.type;
  if (type === 'stringArray') {
    // `machineTags eq 'x'` reads naturally as "has tag x": same meaning as any(t: t eq 'x').
    if (op !== 'eq') odataError(`Operator '${op}' is not supported for collection property '${field.name}' in $filter at position ${position}; use ${field.name}/any(...)`, position);
    return freeze({ kind: 'any', field: field.name, op: 'eq', value: stringArgument('eq', field, value) });
  }
  if (value.kind === 'null') {
    if (op !== 'eq' && op !== 'ne') odataError(`Operator '${op}' cannot compare with null in $filter at position ${position}`, position);
    return freeze({ kind: 'compare', op, field: field.name, value: freeze({ kind: 'null' }) });
  }
  const ordering = op !== 'eq' && op !== 'ne';
  if (ordering && !ORDERED_TYPES.has(type)) unsupportedOperator(op, field, position);
  return freeze({ kind: 'compare', op, field: field.name, value: literalFor(field, value) });
}

function unsupportedOperator(op: string, field: ResolvedField, position: number): never {
  return odataError(`Operator '${op}' is not supported for property '${field.name}' (${field.spec.type}) in $filter at position ${position}`, position);
}

function describeLiteral(value: SyntaxLiteral): string {
  switch (value.kind) {
    case 'string':
      return `string literal '${value.value.replaceAll("'", "''")}'`;
    case 'number':
    case 'datetime':
      return `${value.kind} literal '${value.text}'`;
    case 'boolean':
      return `boolean literal '${value.value}'`;
    case 'null':
      return 'null';
  }
}

function mismatch(field: ResolvedField, value: SyntaxLiteral): never {
  return odataError(`Cannot compare property '${field.name}' (${field.spec.type}) with ${describeLiteral(value)} in $filter at position ${value.position}`, value.position);
}

/** Types a non-null literal against the field. */
function literalFor(field: ResolvedField, value: SyntaxLiteral): ODataLiteral {
  const { spec } = field;
  switch (spec.type) {
    case 'string':
    case 'stringArray':
      if (value.kind !== 'string') mismatch(field, value);
      return freeze({ kind: 'string', value: value.value });
    case 'guid':
      if (value.kind !== 'string') mismatch(field, value);
      if (!GUID.test(value.value)) odataError(`Value '${value.value}' is not a valid GUID for property '${field.name}' in $filter at position ${value.position}`, value.position);
      // Cordon's ids are lowercase GUIDs (core IdGenerator.uuid); clients may send upper case.
      return freeze({ kind: 'string', value: value.value.toLowerCase() });
    case 'enum': {
      if (value.kind !== 'string') mismatch(field, value);
      const allowed = spec.values ?? [];
      const canonical = allowed.find((candidate) => candidate.toLowerCase() === value.value.toLowerCase());
      if (canonical === undefined) {
        odataError(`Value '${value.value}' is not valid for property '${field.name}' in $filter at position ${value.position}; expected one of ${allowed.join(', ')}`, value.position);
      }
      return freeze({ kind: 'string', value: canonical });
    }
    case 'datetime': {
      if (value.kind === 'datetime') return freeze({ kind: 'datetime', value: value.value });
      if (value.kind !== 'string') mismatch(field, value);
      const normalised = normaliseDateTime(value.value);
      if (normalised === undefined) odataError(`Value '${value.value}' is not a valid datetime for property '${field.name}' in $filter at position ${value.position}`, value.position);
      return freeze({ kind: 'datetime', value: normalised });
    }
    case 'number':
      if (value.kind !== 'number') mismatch(field, value);
      return freeze({ kind: 'number', value: value.value });
    case 'boolean':
      if (value.kind !== 'boolean') mismatch(field, value);
      return freeze({ kind: 'boolean', value: value.value });
  }
}

/** The argument of startswith/endswith/contains or of an any() predicate: a string literal. */
function stringArgument(fn: StringFunction | 'eq', field: ResolvedField, value: SyntaxLiteral): string {
  if (value.kind !== 'string') {
    return odataError(`${fn === 'eq' ? 'Comparison' : `Function '${fn}'`} on property '${field.name}' needs a string literal, got ${describeLiteral(value)} in $filter at position ${value.position}`, value.position);
  }
  return value.value;
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(value);
}

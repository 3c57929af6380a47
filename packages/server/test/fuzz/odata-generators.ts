/**
 * fast-check generators of OData query options: grammar-shaped ones built from the entities' field
 * maps (core/odata/entities.ts), so most cases get past the lexer and exercise the validator and the
 * SQL compiler, plus mutations of them and plain garbage for the lexer.
 */
import fc from 'fast-check';
import type { FieldMap, FieldSpec } from '@cordon/core';
import { nastyString } from './fuzz-app.js';

const CMP = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
const FUNCS = ['startswith', 'endswith', 'contains'] as const;

/** A name as a client might spell it: canonical, wrong case, or not a field at all. */
const fieldName = (fields: FieldMap) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...Object.keys(fields)) },
    { weight: 2, arbitrary: fc.constantFrom(...Object.keys(fields)).map((n) => n.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom('tenant_id', 'tenantId', 'secret_hash', 'sqlite_master', 'id;', 'a/b', '$it', 'Id eq') },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/) },
  );

/** OData string literal with quotes doubled, as a well-behaved client writes it. */
const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;

const literalFor = (spec: FieldSpec | undefined): fc.Arbitrary<string> => {
  const any = fc.oneof(
    nastyString().map(quoted),
    nastyString(), // unquoted: usually a syntax error
    fc.constantFrom('null', 'true', 'false', '0', '-1', '1e308', '1.5', 'NaN', '2019-01-01T00:00:00Z', '2019-13-45T99:99:99Z', "''", "'''"),
    fc.double().map(String),
    fc.uuid().map(String),
  );
  if (!spec) return any;
  return fc.oneof({ weight: 3, arbitrary: typedLiteral(spec) }, { weight: 1, arbitrary: any });
};

const typedLiteral = (spec: FieldSpec): fc.Arbitrary<string> =>
    spec.type === 'enum' && spec.values
      ? fc.constantFrom(...spec.values).map(quoted)
      : spec.type === 'datetime'
        ? fc.date({ min: new Date(-62135596800000), max: new Date(253402300799000), noInvalidDate: true }).map((d) => d.toISOString())
        : spec.type === 'number'
          ? fc.integer().map(String)
          : spec.type === 'boolean'
            ? fc.boolean().map(String)
            : spec.type === 'guid'
              ? fc.uuid().map(String)
              : nastyString().map(quoted);

/** Grammar-shaped `$filter` text over `fields`. */
export function filterText(fields: FieldMap): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  const atom: fc.Arbitrary<string> = fc.oneof(
    fc.tuple(fieldName(fields), fc.constantFrom(...CMP)).chain(([name, op]) => literalFor(fields[name] ?? fields[names.find((n) => n.toLowerCase() === name.toLowerCase()) ?? '']).map((lit) => `${name} ${op} ${lit}`)),
    fc.tuple(fc.constantFrom(...FUNCS), fieldName(fields), nastyString()).map(([f, name, s]) => `${f}(${name},${quoted(s)})`),
    fc.tuple(fieldName(fields), fc.array(literalFor(undefined), { minLength: 0, maxLength: 5 })).map(([name, lits]) => `${name} in (${lits.join(',')})`),
    fc.tuple(fieldName(fields), fc.constantFrom('eq', ...FUNCS), nastyString()).map(([name, op, s]) =>
      op === 'eq' ? `${name}/any(t: t eq ${quoted(s)})` : `${name}/any(t: ${op}(t, ${quoted(s)}))`,
    ),
  );
  const tree = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('node'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('node')).map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('node').map((n) => `not (${n})`),
      tie('node').map((n) => `(${n})`),
    ),
  })).node;
  return fc.oneof({ weight: 5, arbitrary: validFilter(fields) }, { weight: 4, arbitrary: tree }, { weight: 2, arbitrary: mutated(tree) }, { weight: 2, arbitrary: garbage() });
}

/** Well-typed filters only (filterable fields, fitting operators and literals): these reach the SQL. */
export function validFilter(fields: FieldMap): fc.Arbitrary<string> {
  const filterable = Object.entries(fields).filter(([, spec]) => spec.filterable);
  const atom = fc.constantFrom(...filterable).chain(([name, spec]): fc.Arbitrary<string> => {
    switch (spec.type) {
      case 'stringArray':
        return fc.tuple(fc.constantFrom('eq', ...FUNCS), nastyString()).map(([op, s]) => (op === 'eq' ? `${name}/any(t: t eq ${quoted(s)})` : `${name}/any(t: ${op}(t, ${quoted(s)}))`));
      case 'string':
        return fc.oneof(
          fc.tuple(fc.constantFrom(...CMP), nastyString()).map(([op, s]) => `${name} ${op} ${quoted(s)}`),
          fc.tuple(fc.constantFrom(...FUNCS), nastyString()).map(([fn, s]) => `${fn}(${name},${quoted(s)})`),
          fc.array(nastyString(), { minLength: 1, maxLength: 4 }).map((a) => `${name} in (${a.map(quoted).join(',')})`),
        );
      case 'enum':
        return fc.oneof(
          fc.tuple(fc.constantFrom('eq', 'ne'), fc.constantFrom(...spec.values!)).map(([op, v]) => `${name} ${op} ${quoted(v)}`),
          fc.subarray([...spec.values!], { minLength: 1 }).map((a) => `${name} in (${a.map(quoted).join(',')})`),
        );
      case 'boolean':
        return fc.tuple(fc.constantFrom('eq', 'ne'), fc.boolean()).map(([op, b]) => `${name} ${op} ${b}`);
      case 'guid':
        return fc.tuple(fc.constantFrom('eq', 'ne'), fc.uuid()).map(([op, v]) => `${name} ${op} ${quoted(v)}`);
      default:
        return fc.tuple(fc.constantFrom(...CMP), typedLiteral(spec)).map(([op, v]) => `${name} ${op} ${v}`);
    }
  });
  return fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('node'), fc.constantFrom('and', 'or'), tie('node')).map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('node').map((n) => `not (${n})`),
      tie('node').map((n) => `(${n})`),
    ),
  })).node;
}

/** A valid-looking text with characters cut, doubled or inserted: near-misses reach deep into the parser. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.nat(), fc.constantFrom('cut', 'dup', 'insert'), fc.constantFrom('(', ')', "'", ',', ' ', '/', ':', '\u0000', 'eq', '"')).map(([s, at, how, ch]) => {
    const i = s.length === 0 ? 0 : at % s.length;
    if (how === 'cut') return s.slice(0, i) + s.slice(i + 1);
    if (how === 'dup') return s.slice(0, i) + s.slice(i, i + 3) + s.slice(i);
    return s.slice(0, i) + ch + s.slice(i);
  });
}

export function garbage(): fc.Arbitrary<string> {
  return fc.oneof(
    nastyString(),
    fc.string({ unit: fc.constantFrom(...'()\',/: eqandortin0123456789-TZ.$"\\'.split('')), maxLength: 60 }),
    fc.integer({ min: 1, max: 2000 }).map((n) => '('.repeat(n) + 'id eq 1' + ')'.repeat(n)),
    fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, () => "id eq 'x'").join(' or ')),
    fc.integer({ min: 1, max: 500 }).map((n) => 'not '.repeat(n) + "id eq 'x'"),
  );
}

/** `$orderby`: lists of names with optional directions, some malformed. */
export function orderByText(fields: FieldMap): fc.Arbitrary<string> {
  const item = fc.tuple(fieldName(fields), fc.constantFrom('', ' asc', ' desc', ' DESC', ' sideways', '  asc')).map(([n, d]) => n + d);
  return fc.oneof({ weight: 4, arbitrary: fc.array(item, { minLength: 1, maxLength: 4 }).map((a) => a.join(',')) }, { weight: 1, arbitrary: garbage() });
}

export function selectText(fields: FieldMap): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: fc.array(fieldName(fields), { minLength: 1, maxLength: 6 }).map((a) => a.join(',')) }, { weight: 1, arbitrary: garbage() });
}

/** `$top`/`$skip`: in range, out of range, not numbers. */
export function countText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: 20_000 }).map(String),
    fc.integer().map(String),
    fc.constantFrom('', '-0', '1.5', '1e3', '0x10', '9999999999999999999999', 'NaN', 'Infinity', ' 5', '5 ', '+5', "'5'"),
    garbage(),
  );
}

/** A full set of query options (any subset), occasionally with repeats or unknown options. */
export function queryOptions(fields: FieldMap): fc.Arbitrary<[string, string][]> {
  const option = fc.oneof(
    { weight: 5, arbitrary: filterText(fields).map((v) => ['$filter', v] as [string, string]) },
    { weight: 2, arbitrary: orderByText(fields).map((v) => ['$orderby', v] as [string, string]) },
    { weight: 2, arbitrary: selectText(fields).map((v) => ['$select', v] as [string, string]) },
    { weight: 2, arbitrary: countText().map((v) => ['$top', v] as [string, string]) },
    { weight: 2, arbitrary: countText().map((v) => ['$skip', v] as [string, string]) },
    { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'TRUE', '1', '', 'yes').map((v) => ['$count', v] as [string, string]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('$expand', '$search', '$apply', '$format', 'filter', '$FILTER', 'api-version', '$skiptoken'), nastyString()) },
    { weight: 1, arbitrary: fc.tuple(nastyString(), nastyString()) },
  );
  return fc.array(option, { minLength: 0, maxLength: 4 });
}

export function toQueryString(options: readonly (readonly [string, string])[], plusForSpace: boolean): string {
  return options.map(([k, v]) => `${enc(k, plusForSpace)}=${enc(v, plusForSpace)}`).join('&');
}

/** Percent-encodes like a client; lone surrogates (which encodeURIComponent refuses) go out as raw %ED.. bytes. */
function enc(value: string, plusForSpace: boolean): string {
  let out: string;
  try {
    out = encodeURIComponent(value);
  } catch {
    out = Array.from(Buffer.from(value, 'utf8')).map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
  return plusForSpace ? out.replaceAll('%20', '+') : out;
}

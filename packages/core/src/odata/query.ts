/**
 * Entry point of the OData pipeline: system query options in, validated frozen ODataQuery out
 * (mde-api.md §2.4; client-wire-facts 4). Every problem is a DomainError('ODataError') naming the
 * offending option, token and position.
 */
import { DomainError } from '../errors.js';
import { MAX_TOP, type FieldMap, type ODataQuery, type OrderBy } from './ast.js';
import { tokenize, syntaxError, type Token } from './lexer.js';
import { MAX_FILTER_LENGTH, parseFilter } from './parser.js';
import { resolveField, validateFilter } from './validate.js';

/** Already URL-decoded query parameters, as a web framework hands them over. */
export type ODataParams = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ParseODataOptions {
  /** `$top` when the client sends none; defaults to MAX_TOP. */
  readonly defaultTop?: number;
  /** Order when the client sends no `$orderby` (e.g. newest first); canonical field names. */
  readonly defaultOrderBy?: readonly OrderBy[];
}

const OPTIONS = ['$filter', '$top', '$skip', '$orderby', '$select', '$count'] as const;
type OptionName = (typeof OPTIONS)[number];

function odataError(message: string, details: Record<string, unknown>): never {
  throw new DomainError('ODataError', message, { details });
}

/**
 * Parses and validates the OData system query options of a collection request. Option names are
 * matched case-insensitively and must carry the `$` (as MDE requires); other parameters without
 * a `$` are ignored, unknown `$` options are refused. An empty option counts as absent.
 * @example parseODataQuery({ $filter: "status eq 'Pending'", $top: '2' }, MACHINE_ACTION_FIELDS)
 */
export function parseODataQuery(params: ODataParams, fields: FieldMap, options: ParseODataOptions = {}): ODataQuery {
  const raw = collectOptions(params);
  const filterText = raw.get('$filter');
  const orderText = raw.get('$orderby');
  const selectText = raw.get('$select');
  const query: ODataQuery = {
    filter: filterText === undefined ? undefined : validateFilter(parseFilter(filterText), fields),
    orderBy: Object.freeze(orderText === undefined ? (options.defaultOrderBy ?? []).map((o) => Object.freeze({ ...o })) : parseOrderBy(orderText, fields)),
    top: parseInteger('$top', raw.get('$top'), options.defaultTop ?? MAX_TOP, MAX_TOP),
    skip: parseInteger('$skip', raw.get('$skip'), 0, Number.MAX_SAFE_INTEGER),
    select: selectText === undefined ? undefined : parseSelect(selectText, fields),
    count: parseCount(raw.get('$count')),
  };
  return Object.freeze(query);
}

function collectOptions(params: ODataParams): Map<OptionName, string> {
  const found = new Map<OptionName, string>();
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith('$')) continue;
    const name = OPTIONS.find((option) => option === key.toLowerCase());
    if (name === undefined) odataError(`Query option '${key}' is not supported`, { option: key });
    if (value === undefined) continue;
    if (typeof value !== 'string' || found.has(name)) odataError(`Query option '${name}' is given more than once`, { option: name });
    if (value.length > MAX_FILTER_LENGTH) odataError(`${name} is too long: ${value.length} characters, at most ${MAX_FILTER_LENGTH}`, { option: name });
    if (value.trim() !== '') found.set(name, value);
  }
  return found;
}

function parseInteger(option: '$top' | '$skip', text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const trimmed = text.trim();
  const value = /^\d{1,16}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(value <= max)) {
    const range = option === '$top' ? `between 0 and ${max}` : 'of 0 or more';
    odataError(`${option} must be an integer ${range}, got '${text}'`, { option });
  }
  return value;
}

function parseCount(text: string | undefined): boolean {
  if (text === undefined) return false;
  const lower = text.trim().toLowerCase();
  if (lower !== 'true' && lower !== 'false') odataError(`$count must be true or false, got '${text}'`, { option: '$count' });
  return lower === 'true';
}

/** `$orderby=field [asc|desc], other [asc|desc]`; fields must be sortable. */
function parseOrderBy(text: string, fields: FieldMap): readonly OrderBy[] {
  const option = '$orderby';
  return commaSeparated(tokenize(text, option), option, (tokens) => {
    const [name, direction, extra] = tokens;
    const field = resolveField(fields, { name: name.text, position: name.position }, option, 'sortable');
    const dir = direction === undefined ? 'asc' : direction.text.toLowerCase();
    if (direction !== undefined && ((direction.kind !== 'identifier') || (dir !== 'asc' && dir !== 'desc'))) {
      syntaxError(option, direction.position, `unexpected token '${direction.text}' (expected asc or desc)`);
    }
    if (extra !== undefined) syntaxError(option, extra.position, `unexpected token '${extra.text}'`);
    return Object.freeze({ field: field.name, direction: dir as OrderBy['direction'] });
  });
}

/** `$select=a,b`: any field in the map, canonicalised, duplicates dropped; `*` means all. */
function parseSelect(text: string, fields: FieldMap): readonly string[] | undefined {
  const option = '$select';
  if (text.trim() === '*') return undefined;
  const names = commaSeparated(tokenize(text, option), option, (tokens) => {
    const [name, extra] = tokens;
    if (extra !== undefined) syntaxError(option, extra.position, `unexpected token '${extra.text}'`);
    return resolveField(fields, { name: name.text, position: name.position }, option, 'any').name;
  });
  return Object.freeze([...new Set(names)]);
}

/** Splits tokens on commas; each item must start with an identifier. */
function commaSeparated<T>(tokens: Token[], option: string, item: (tokens: Token[]) => T): T[] {
  const items: T[] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === ',' || token.kind === 'end') {
      const [first] = current;
      if (first === undefined || first.kind !== 'identifier') {
        const at = first ?? token;
        syntaxError(option, at.position, `unexpected ${at.kind === 'end' ? 'end of input' : `token '${at.text}'`} (expected a property name)`);
      }
      items.push(item(current));
      current = [];
    } else {
      current.push(token);
    }
  }
  return items;
}

import { describe, expect, it } from 'vitest';
import type { ComparisonOperator, FieldMap, FilterNode, ODataLiteral } from './ast.js';
import { MACHINE_ACTION_FIELDS, MACHINE_FIELDS } from './entities.js';
import { parseODataQuery } from './query.js';

const FIELDS: FieldMap = {
  id: { type: 'guid', filterable: true, sortable: true },
  name: { type: 'string', filterable: true, sortable: true },
  status: { type: 'enum', values: ['Pending', 'InProgress', 'Succeeded'], filterable: true, sortable: true },
  createdAt: { type: 'datetime', filterable: true, sortable: true },
  size: { type: 'number', filterable: true, sortable: true },
  enabled: { type: 'boolean', filterable: true, sortable: true },
  tags: { type: 'stringArray', filterable: true, sortable: false },
  note: { type: 'string', filterable: false, sortable: false },
};

const str = (value: string): ODataLiteral => ({ kind: 'string', value });
const num = (value: number): ODataLiteral => ({ kind: 'number', value });
const dt = (value: string): ODataLiteral => ({ kind: 'datetime', value });
const cmp = (op: ComparisonOperator, field: string, value: ODataLiteral): FilterNode => ({ kind: 'compare', op, field, value });
const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'and', left, right });
const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'or', left, right });
const not = (operand: FilterNode): FilterNode => ({ kind: 'not', operand });
const GUID = '1e2d5a3c-0000-4a4b-9c9d-00000000abcd';

const filterOf = (text: string, fields: FieldMap = FIELDS) => parseODataQuery({ $filter: text }, fields).filter;

describe('parseODataQuery $filter', () => {
  it.each<[string, FilterNode]>([
    // every comparison operator
    ["name eq 'a'", cmp('eq', 'name', str('a'))],
    ["name ne 'a'", cmp('ne', 'name', str('a'))],
    ['size gt 1', cmp('gt', 'size', num(1))],
    ['size ge 1.5', cmp('ge', 'size', num(1.5))],
    ['size lt -2', cmp('lt', 'size', num(-2))],
    ['size le 3e2', cmp('le', 'size', num(300))],
    [`id gt '${GUID}'`, cmp('gt', 'id', str(GUID))],
    ["name lt 'm'", cmp('lt', 'name', str('m'))],
    // booleans and null
    ['enabled eq true', cmp('eq', 'enabled', { kind: 'boolean', value: true })],
    ['enabled ne FALSE', cmp('ne', 'enabled', { kind: 'boolean', value: false })],
    ['name eq null', cmp('eq', 'name', { kind: 'null' })],
    ['createdAt ne null', cmp('ne', 'createdAt', { kind: 'null' })],
    // precedence, not, parentheses
    ["name eq 'a' or name eq 'b' and size eq 1", or(cmp('eq', 'name', str('a')), and(cmp('eq', 'name', str('b')), cmp('eq', 'size', num(1))))],
    ["(name eq 'a' or name eq 'b') and size eq 1", and(or(cmp('eq', 'name', str('a')), cmp('eq', 'name', str('b'))), cmp('eq', 'size', num(1)))],
    ["name eq 'a' and size eq 1 and size eq 2", and(and(cmp('eq', 'name', str('a')), cmp('eq', 'size', num(1))), cmp('eq', 'size', num(2)))],
    ["not name eq 'a' and size eq 1", and(not(cmp('eq', 'name', str('a'))), cmp('eq', 'size', num(1)))],
    ["not (name eq 'a' or size eq 1)", not(or(cmp('eq', 'name', str('a')), cmp('eq', 'size', num(1))))],
    ["not not name eq 'a'", not(not(cmp('eq', 'name', str('a'))))],
    ["((((name eq 'a'))))", cmp('eq', 'name', str('a'))],
    // in
    ["status in ('Pending','InProgress')", { kind: 'in', field: 'status', values: [str('Pending'), str('InProgress')] }],
    ['size in (1, 2 ,3)', { kind: 'in', field: 'size', values: [num(1), num(2), num(3)] }],
    ["name in ('only')", { kind: 'in', field: 'name', values: [str('only')] }],
    ['createdAt in (2020-01-01Z)', { kind: 'in', field: 'createdAt', values: [dt('2020-01-01T00:00:00.0000000Z')] }],
    // functions
    ["startswith(name,'ab')", { kind: 'function', name: 'startswith', field: 'name', value: 'ab' }],
    ["endswith(name, 'ab')", { kind: 'function', name: 'endswith', field: 'name', value: 'ab' }],
    ["contains( name , 'ab' )", { kind: 'function', name: 'contains', field: 'name', value: 'ab' }],
    ["startswith(name,'ab') eq true", { kind: 'function', name: 'startswith', field: 'name', value: 'ab' }],
    ["startswith(name,'ab') eq false", not({ kind: 'function', name: 'startswith', field: 'name', value: 'ab' })],
    ["contains(name,'ab') ne true", not({ kind: 'function', name: 'contains', field: 'name', value: 'ab' })],
    ["contains(name,'ab') ne false", { kind: 'function', name: 'contains', field: 'name', value: 'ab' }],
    ["not contains(name,'ab')", not({ kind: 'function', name: 'contains', field: 'name', value: 'ab' })],
    ["contains(status,'Prog')", { kind: 'function', name: 'contains', field: 'status', value: 'Prog' }],
    ["STARTSWITH(NAME,'x') AND size eq 1", and({ kind: 'function', name: 'startswith', field: 'name', value: 'x' }, cmp('eq', 'size', num(1)))],
    // lambda any over a string array, and the eq shorthand
    ["tags/any(t: t eq 'x')", { kind: 'any', field: 'tags', op: 'eq', value: 'x' }],
    ["Tags/ANY(tag:tag eq 'x y')", { kind: 'any', field: 'tags', op: 'eq', value: 'x y' }],
    ["tags/any(t: startswith(t,'pre'))", { kind: 'any', field: 'tags', op: 'startswith', value: 'pre' }],
    ["tags/any(t: endswith(t,'suf') eq true)", { kind: 'any', field: 'tags', op: 'endswith', value: 'suf' }],
    ["tags/any(t: contains(t,'mid'))", { kind: 'any', field: 'tags', op: 'contains', value: 'mid' }],
    ["tags eq 'x'", { kind: 'any', field: 'tags', op: 'eq', value: 'x' }],
    ["not tags/any(t: t eq 'x')", not({ kind: 'any', field: 'tags', op: 'eq', value: 'x' })],
    // '' escapes and special characters stay data
    ["name eq 'O''Brien'", cmp('eq', 'name', str("O'Brien"))],
    ["name eq ''''", cmp('eq', 'name', str("'"))],
    ["name eq ''", cmp('eq', 'name', str(''))],
    ["name eq 'a and b eq (c)'", cmp('eq', 'name', str('a and b eq (c)'))],
    // case-insensitive keywords and names
    ["NAME Eq 'a' AND Size GT 1 Or NOT enabled EQ True", or(and(cmp('eq', 'name', str('a')), cmp('gt', 'size', num(1))), not(cmp('eq', 'enabled', { kind: 'boolean', value: true })))],
    ["STATUS IN ('pending')", { kind: 'in', field: 'status', values: [str('Pending')] }],
    // datetimes: unquoted and quoted, normalised
    ['createdAt gt 2019-11-22T00:00:00Z', cmp('gt', 'createdAt', dt('2019-11-22T00:00:00.0000000Z'))],
    ['createdAt ge 2018-08-01Z', cmp('ge', 'createdAt', dt('2018-08-01T00:00:00.0000000Z'))],
    ['createdAt lt 2024-01-01T10:00:00.123+02:00', cmp('lt', 'createdAt', dt('2024-01-01T08:00:00.1230000Z'))],
    ["createdAt le '2024-01-01T10:00:00.1234567Z'", cmp('le', 'createdAt', dt('2024-01-01T10:00:00.1234567Z'))],
    // enum normalisation, guid lowercasing
    ["status eq 'inprogress'", cmp('eq', 'status', str('InProgress'))],
    ["status ne 'SUCCEEDED'", cmp('ne', 'status', str('Succeeded'))],
    [`id eq '${GUID.toUpperCase()}'`, cmp('eq', 'id', str(GUID))],
    // whitespace
    ["  name   eq\t'a'  ", cmp('eq', 'name', str('a'))],
  ])('should parse %j', (text, expected) => {
    expect(filterOf(text)).toEqual(expected);
  });

  it('should freeze every node of the AST', () => {
    const filter = filterOf("not (name eq 'a' or status in ('Pending'))") as Extract<FilterNode, { kind: 'not' }>;
    const inner = filter.operand as Extract<FilterNode, { kind: 'and' | 'or' }>;
    const list = inner.right as Extract<FilterNode, { kind: 'in' }>;
    for (const node of [filter, inner, inner.left, list, list.values, list.values[0]]) expect(Object.isFrozen(node)).toBe(true);
  });
});

describe('parseODataQuery documented examples (mde-api.md §2.4, client-wire-facts 4)', () => {
  it.each<[string, FieldMap, FilterNode]>([
    ["requestor eq 'Analyst@contoso.com' and type eq 'RunAntiVirusScan'", MACHINE_ACTION_FIELDS, and(cmp('eq', 'requestor', str('Analyst@contoso.com')), cmp('eq', 'type', str('RunAntiVirusScan')))],
    ["machineId eq '1e5bc9d7e413ddd7902c2932e418702b84d0cc07'", MACHINE_ACTION_FIELDS, cmp('eq', 'machineId', str('1e5bc9d7e413ddd7902c2932e418702b84d0cc07'))],
    ["status in ('Pending','InProgress') AND type eq 'Isolate'", MACHINE_ACTION_FIELDS, and({ kind: 'in', field: 'status', values: [str('Pending'), str('InProgress')] }, cmp('eq', 'type', str('Isolate')))],
    ["Status eq 'Succeeded' and CreationDateTimeUtc ge 2019-11-22T00:00:00Z", MACHINE_ACTION_FIELDS, and(cmp('eq', 'status', str('Succeeded')), cmp('ge', 'creationDateTimeUtc', dt('2019-11-22T00:00:00.0000000Z')))],
    [`id eq '${GUID}'`, MACHINE_ACTION_FIELDS, cmp('eq', 'id', str(GUID))],
    ['lastUpdateDateTimeUtc ge 2019-11-22T00:00:00Z', MACHINE_ACTION_FIELDS, cmp('ge', 'lastUpdateDateTimeUtc', dt('2019-11-22T00:00:00.0000000Z'))],
    ["computerDnsName eq 'h' and scope eq 'Full'", MACHINE_ACTION_FIELDS, and(cmp('eq', 'computerDnsName', str('h')), cmp('eq', 'scope', str('Full')))],
    ['lastSeen gt 2018-08-01Z', MACHINE_FIELDS, cmp('gt', 'lastSeen', dt('2018-08-01T00:00:00.0000000Z'))],
    ["startswith(computerDnsName,'mymachine')", MACHINE_FIELDS, { kind: 'function', name: 'startswith', field: 'computerDnsName', value: 'mymachine' }],
    ["healthStatus ne 'Active'", MACHINE_FIELDS, cmp('ne', 'healthStatus', str('Active'))],
    ["riskScore eq 'High'", MACHINE_FIELDS, cmp('eq', 'riskScore', str('High'))],
    ["exposureLevel eq 'Medium' and OsPlatform eq 'Windows10'", MACHINE_FIELDS, and(cmp('eq', 'exposureLevel', str('Medium')), cmp('eq', 'osPlatform', str('Windows10')))],
    ["computerDnsName eq 'h'", MACHINE_FIELDS, cmp('eq', 'computerDnsName', str('h'))],
    ["lastIpAddress eq '10.0.0.4'", MACHINE_FIELDS, cmp('eq', 'lastIpAddress', str('10.0.0.4'))],
    ['rbacGroupId eq 4711', MACHINE_FIELDS, cmp('eq', 'rbacGroupId', num(4711))],
    ["onboardingStatus eq 'onboarded'", MACHINE_FIELDS, cmp('eq', 'onboardingStatus', str('Onboarded'))],
    ["machineTags/any(tag: tag eq 'test')", MACHINE_FIELDS, { kind: 'any', field: 'machineTags', op: 'eq', value: 'test' }],
  ])('should parse %j', (text, fields, expected) => {
    expect(filterOf(text, fields)).toEqual(expected);
  });
});

describe('parseODataQuery errors', () => {
  it.each<[Record<string, string>, string]>([
    // syntax
    [{ $filter: "name eq 'a' xor name eq 'b'" }, "Syntax error at position 12 in $filter: unexpected token 'xor'"],
    [{ $filter: "name 'a'" }, "Syntax error at position 5 in $filter: unexpected string literal 'a' (expected a comparison operator)"],
    [{ $filter: 'name eq' }, 'Syntax error at position 7 in $filter: unexpected end of input (expected a literal)'],
    [{ $filter: "name eq 'a' and" }, 'Syntax error at position 15 in $filter: unexpected end of input'],
    [{ $filter: "(name eq 'a'" }, "Syntax error at position 12 in $filter: unexpected end of input (expected ')')"],
    [{ $filter: "name eq 'a')" }, "Syntax error at position 11 in $filter: unexpected token ')'"],
    [{ $filter: "name like 'a'" }, "Syntax error at position 5 in $filter: unexpected token 'like' (expected a comparison operator)"],
    [{ $filter: "'a' eq name" }, "Syntax error at position 0 in $filter: unexpected string literal 'a' (expected a property name, a function or ()"],
    [{ $filter: "tolower(name) eq 'a'" }, "Syntax error at position 0 in $filter: unknown function 'tolower'"],
    [{ $filter: "startswith(name,'a') eq 1" }, "Syntax error at position 24 in $filter: unexpected token '1' (expected true or false)"],
    [{ $filter: "startswith('a',name)" }, "Syntax error at position 11 in $filter: unexpected string literal 'a' (expected a property name)"],
    [{ $filter: "status in 'Pending'" }, "Syntax error at position 10 in $filter: unexpected string literal 'Pending' (expected '(')"],
    [{ $filter: 'status in ()' }, "Syntax error at position 11 in $filter: unexpected token ')' (expected a literal)"],
    [{ $filter: "tags/all(t: t eq 'x')" }, "Syntax error at position 5 in $filter: unexpected token 'all' (expected any)"],
    [{ $filter: "tags/any(t: x eq 'x')" }, "Syntax error at position 12 in $filter: unexpected token 'x' (expected the lambda variable 't')"],
    [{ $filter: "tags/any(t: t ne 'x')" }, "Syntax error at position 14 in $filter: unexpected token 'ne' (expected eq)"],
    [{ $filter: "tags/any(t: startswith(x,'a'))" }, "Syntax error at position 23 in $filter: unexpected token 'x' (expected the lambda variable 't')"],
    [{ $filter: "name eq 'unterminated" }, 'Syntax error at position 8 in $filter: unterminated string literal'],
    [{ $filter: 'name eq "a"' }, `Syntax error at position 8 in $filter: unexpected character '"'`],
    [{ $filter: "name eq 'a'; drop table x" }, "Syntax error at position 11 in $filter: unexpected character ';'"],
    [{ $filter: 'createdAt gt 2019-13-01Z' }, "Syntax error at position 13 in $filter: invalid datetime literal '2019-13-01Z'"],
    // fields
    [{ $filter: 'foo eq 1' }, "Property 'foo' is not supported in $filter at position 0"],
    [{ $filter: "size eq 1 and bar eq 'x'" }, "Property 'bar' is not supported in $filter at position 14"],
    [{ $filter: "note eq 'x'" }, "Property 'note' cannot be used in $filter at position 0"],
    [{ $filter: "startswith(nope,'x')" }, "Property 'nope' is not supported in $filter at position 11"],
    // types
    [{ $filter: "size eq '1'" }, "Cannot compare property 'size' (number) with string literal '1' in $filter at position 8"],
    [{ $filter: 'name eq 1' }, "Cannot compare property 'name' (string) with number literal '1' in $filter at position 8"],
    [{ $filter: 'name gt 2019-11-22T00:00:00Z' }, "Cannot compare property 'name' (string) with datetime literal '2019-11-22T00:00:00Z' in $filter at position 8"],
    [{ $filter: 'createdAt gt 5' }, "Cannot compare property 'createdAt' (datetime) with number literal '5' in $filter at position 13"],
    [{ $filter: "createdAt gt 'yesterday'" }, "Value 'yesterday' is not a valid datetime for property 'createdAt' in $filter at position 13"],
    [{ $filter: "enabled eq 'true'" }, "Cannot compare property 'enabled' (boolean) with string literal 'true' in $filter at position 11"],
    [{ $filter: 'size eq true' }, "Cannot compare property 'size' (number) with boolean literal 'true' in $filter at position 8"],
    [{ $filter: "status eq 'Bogus'" }, "Value 'Bogus' is not valid for property 'status' in $filter at position 10; expected one of Pending, InProgress, Succeeded"],
    [{ $filter: "status in ('Pending','Nope')" }, "Value 'Nope' is not valid for property 'status' in $filter at position 21"],
    [{ $filter: "id eq 'not-a-guid'" }, "Value 'not-a-guid' is not a valid GUID for property 'id' in $filter at position 6"],
    [{ $filter: "startswith(size,'1')" }, "Operator 'startswith' is not supported for property 'size' (number) in $filter at position 0"],
    [{ $filter: "contains(createdAt,'2019')" }, "Operator 'contains' is not supported for property 'createdAt' (datetime) in $filter at position 0"],
    [{ $filter: 'startswith(name,1)' }, "Function 'startswith' on property 'name' needs a string literal, got number literal '1' in $filter at position 16"],
    // operators per type
    [{ $filter: 'enabled gt false' }, "Operator 'gt' is not supported for property 'enabled' (boolean) in $filter at position 8"],
    [{ $filter: "status ge 'Pending'" }, "Operator 'ge' is not supported for property 'status' (enum) in $filter at position 7"],
    [{ $filter: 'enabled in (true)' }, "Operator 'in' is not supported for property 'enabled' (boolean) in $filter at position 8"],
    [{ $filter: 'size gt null' }, "Operator 'gt' cannot compare with null in $filter at position 5"],
    [{ $filter: "name in ('a', null)" }, "null is not allowed in an 'in' list in $filter at position 14"],
    [{ $filter: "tags ne 'x'" }, "Operator 'ne' is not supported for collection property 'tags' in $filter at position 5; use tags/any(...)"],
    [{ $filter: "tags in ('x')" }, "Operator 'in' is not supported for property 'tags' (stringArray) in $filter at position 5"],
    [{ $filter: "name/any(t: t eq 'x')" }, "Property 'name' is not a collection; any() is not supported on it in $filter at position 0"],
    [{ $filter: "tags/any(t: startswith(t,'x') eq false)" }, 'A negated predicate inside any() is not supported in $filter at position 12'],
    [{ $filter: 'tags/any(t: t eq 1)' }, "Comparison on property 'tags' needs a string literal, got number literal '1' in $filter at position 17"],
    // bounds
    [{ $filter: `${'('.repeat(33)}name eq 'a'${')'.repeat(33)}` }, 'Syntax error at position 32 in $filter: expression is nested deeper than 32 levels'],
    [{ $filter: `${'not '.repeat(40)}name eq 'a'` }, 'Syntax error at position 128 in $filter: expression is nested deeper than 32 levels'],
    [{ $filter: `name eq '${'x'.repeat(8200)}'` }, '$filter is too long: 8210 characters, at most 8192'],
    // other options
    [{ $top: '10001' }, "$top must be an integer between 0 and 10000, got '10001'"],
    [{ $top: '-1' }, "$top must be an integer between 0 and 10000, got '-1'"],
    [{ $top: '1.5' }, "$top must be an integer between 0 and 10000, got '1.5'"],
    [{ $top: 'ten' }, "$top must be an integer between 0 and 10000, got 'ten'"],
    [{ $skip: '-5' }, "$skip must be an integer of 0 or more, got '-5'"],
    [{ $skip: '99999999999999999' }, "$skip must be an integer of 0 or more, got '99999999999999999'"],
    [{ $count: 'yes' }, "$count must be true or false, got 'yes'"],
    [{ $orderby: 'foo desc' }, "Property 'foo' is not supported in $orderby at position 0"],
    [{ $orderby: 'size desc, note' }, "Property 'note' cannot be used in $orderby at position 11"],
    [{ $orderby: 'tags' }, "Property 'tags' cannot be used in $orderby at position 0"],
    [{ $orderby: 'size down' }, "Syntax error at position 5 in $orderby: unexpected token 'down' (expected asc or desc)"],
    [{ $orderby: 'size desc asc' }, "Syntax error at position 10 in $orderby: unexpected token 'asc'"],
    [{ $orderby: 'size,,name' }, "Syntax error at position 5 in $orderby: unexpected token ',' (expected a property name)"],
    [{ $orderby: 'size,' }, 'Syntax error at position 5 in $orderby: unexpected end of input (expected a property name)'],
    [{ $select: 'name,bogus' }, "Property 'bogus' is not supported in $select at position 5"],
    [{ $select: 'name size' }, "Syntax error at position 5 in $select: unexpected token 'size'"],
    [{ $expand: 'evidence' }, "Query option '$expand' is not supported"],
    [{ $filter: "name eq 'a'", $FILTER: "name eq 'b'" }, "Query option '$filter' is given more than once"],
  ])('should reject %j', (params, message) => {
    let error: unknown;
    try {
      parseODataQuery(params, FIELDS);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'DomainError', code: 'ODataError' });
    expect((error as Error).message).toContain(message);
  });

  it('should reject a parameter given as an array', () => {
    expect(() => parseODataQuery({ $top: ['1', '2'] }, FIELDS)).toThrow("Query option '$top' is given more than once");
  });

  it('should carry option and position in the error details', () => {
    expect(() => parseODataQuery({ $filter: 'foo eq 1' }, FIELDS)).toThrow(expect.objectContaining({ details: { option: '$filter', position: 0 } }));
  });

  it('should not overflow the stack on deeply nested input within the length bound', () => {
    expect(() => parseODataQuery({ $filter: '('.repeat(8000) }, FIELDS)).toThrow('nested deeper than 32');
  });

  it('should accept a long flat chain within the length bound', () => {
    const text = Array.from({ length: 500 }, (_, i) => `size eq ${i}`).join(' or ');
    expect(text.length).toBeLessThanOrEqual(8192);
    expect(filterOf(text)).toMatchObject({ kind: 'or' });
  });
});

describe('parseODataQuery other options', () => {
  it('should default to MAX_TOP, no skip, no count, no select and the default order', () => {
    const query = parseODataQuery({}, FIELDS, { defaultOrderBy: [{ field: 'createdAt', direction: 'desc' }] });
    expect(query).toEqual({ filter: undefined, orderBy: [{ field: 'createdAt', direction: 'desc' }], top: 10000, skip: 0, select: undefined, count: false });
    expect(Object.isFrozen(query)).toBe(true);
    expect(Object.isFrozen(query.orderBy)).toBe(true);
    expect(Object.isFrozen(query.orderBy[0])).toBe(true);
  });

  it('should use options.defaultTop when no $top is given', () => {
    expect(parseODataQuery({}, FIELDS, { defaultTop: 50 }).top).toBe(50);
  });

  it('should parse every option, matching option names case-insensitively', () => {
    const query = parseODataQuery({ $Filter: "name eq 'a'", $TOP: '2', $skip: '10', $OrderBy: 'CreatedAt desc, NAME, size ASC', $select: 'Name, id,name', $count: 'TRUE' }, FIELDS);
    expect(query).toEqual({
      filter: cmp('eq', 'name', str('a')),
      orderBy: [
        { field: 'createdAt', direction: 'desc' },
        { field: 'name', direction: 'asc' },
        { field: 'size', direction: 'asc' },
      ],
      top: 2,
      skip: 10,
      select: ['name', 'id'],
      count: true,
    });
    expect(Object.isFrozen(query.select)).toBe(true);
  });

  it('should accept $top=0 and $top=10000 and $count=false', () => {
    expect(parseODataQuery({ $top: '0', $count: 'false' }, FIELDS)).toMatchObject({ top: 0, count: false });
    expect(parseODataQuery({ $top: '10000' }, FIELDS).top).toBe(10000);
  });

  it('should let $select name fields that cannot be filtered or sorted, and treat * as all', () => {
    expect(parseODataQuery({ $select: 'note,tags' }, FIELDS).select).toEqual(['note', 'tags']);
    expect(parseODataQuery({ $select: '*' }, FIELDS).select).toBeUndefined();
  });

  it('should treat empty options as absent and ignore parameters without $', () => {
    expect(parseODataQuery({ $filter: '  ', $top: '', filter: 'garbage', 'api-version': '1.0', $skip: undefined }, FIELDS)).toMatchObject({ filter: undefined, top: 10000, skip: 0 });
  });

  it('should replace the default order when $orderby is given', () => {
    const query = parseODataQuery({ $orderby: 'size' }, FIELDS, { defaultOrderBy: [{ field: 'createdAt', direction: 'desc' }] });
    expect(query.orderBy).toEqual([{ field: 'size', direction: 'asc' }]);
  });

  it('should accept the documented MDE paging example', () => {
    const query = parseODataQuery({ $filter: "machineId eq 'abc'", $top: '2' }, MACHINE_ACTION_FIELDS, { defaultOrderBy: [{ field: 'creationDateTimeUtc', direction: 'desc' }] });
    expect(query).toMatchObject({ top: 2, orderBy: [{ field: 'creationDateTimeUtc', direction: 'desc' }] });
  });
});

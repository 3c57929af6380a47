import { describe, expect, it } from 'vitest';
import type { FieldMap } from './ast.js';
import { parseFilter } from './parser.js';
import { resolveField, validateFilter } from './validate.js';

const FIELDS: FieldMap = {
  computerDnsName: { type: 'string', filterable: true, sortable: true },
  machineTags: { type: 'stringArray', filterable: true, sortable: false },
  comment: { type: 'string', filterable: false, sortable: false },
};

describe('resolveField', () => {
  it('should resolve names case-insensitively to the canonical spelling', () => {
    expect(resolveField(FIELDS, { name: 'COMPUTERDNSNAME', position: 3 }, '$filter', 'filterable')).toEqual({ name: 'computerDnsName', spec: FIELDS.computerDnsName });
  });

  it('should check the capability the option needs', () => {
    expect(() => resolveField(FIELDS, { name: 'machineTags', position: 0 }, '$orderby', 'sortable')).toThrow("Property 'machineTags' cannot be used in $orderby at position 0");
    expect(resolveField(FIELDS, { name: 'comment', position: 0 }, '$select', 'any').name).toBe('comment');
  });

  it('should not resolve inherited object properties', () => {
    expect(() => resolveField(FIELDS, { name: 'constructor', position: 0 }, '$filter', 'filterable')).toThrow("Property 'constructor' is not supported in $filter at position 0");
    expect(() => resolveField(FIELDS, { name: '__proto__', position: 0 }, '$select', 'any')).toThrow("Property '__proto__' is not supported");
  });
});

describe('validateFilter', () => {
  it('should produce a frozen canonical tree', () => {
    const node = validateFilter(parseFilter("ComputerDnsName eq 'h' or MACHINETAGS/any(x: x eq 't')"), FIELDS);
    expect(node).toEqual({
      kind: 'or',
      left: { kind: 'compare', op: 'eq', field: 'computerDnsName', value: { kind: 'string', value: 'h' } },
      right: { kind: 'any', field: 'machineTags', op: 'eq', value: 't' },
    });
    expect(Object.isFrozen(node)).toBe(true);
  });
});

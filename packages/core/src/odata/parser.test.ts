import { describe, expect, it } from 'vitest';
import { MAX_FILTER_DEPTH, parseFilter, type SyntaxNode } from './parser.js';

describe('parseFilter', () => {
  it('should keep names as spelled and record positions for validation messages', () => {
    expect(parseFilter("Name eq 'a' and startswith(Host, 'x')")).toEqual<SyntaxNode>({
      kind: 'and',
      left: { kind: 'compare', op: 'eq', field: { name: 'Name', position: 0 }, value: { kind: 'string', value: 'a', position: 8 }, position: 5 },
      right: { kind: 'function', name: 'startswith', field: { name: 'Host', position: 27 }, value: { kind: 'string', value: 'x', position: 33 }, position: 16 },
    });
  });

  it('should parse literals of every kind', () => {
    const values = parseFilter("f in ('s', 12, -1.5, true, FALSE, null, 2018-08-01Z)");
    expect(values).toMatchObject({
      kind: 'in',
      values: [
        { kind: 'string', value: 's' },
        { kind: 'number', value: 12, text: '12' },
        { kind: 'number', value: -1.5 },
        { kind: 'boolean', value: true },
        { kind: 'boolean', value: false },
        { kind: 'null' },
        { kind: 'datetime', value: '2018-08-01T00:00:00.0000000Z', text: '2018-08-01Z' },
      ],
    });
  });

  it('should mark a negated predicate inside any() for the validator to refuse', () => {
    expect(parseFilter("tags/any(t: contains(t,'x') ne true)")).toMatchObject({ kind: 'any', op: 'contains', negated: true });
  });

  it('should accept nesting up to the depth limit and refuse one level more', () => {
    const nested = (n: number) => `${'('.repeat(n)}a eq 1${')'.repeat(n)}`;
    expect(parseFilter(nested(MAX_FILTER_DEPTH - 1))).toMatchObject({ kind: 'compare' });
    expect(() => parseFilter(nested(MAX_FILTER_DEPTH))).toThrow(`nested deeper than ${MAX_FILTER_DEPTH} levels`);
  });

  it('should build a left-deep tree for chains of the same operator', () => {
    expect(parseFilter('a eq 1 or b eq 2 or c eq 3')).toMatchObject({ kind: 'or', left: { kind: 'or', left: { field: { name: 'a' } }, right: { field: { name: 'b' } } }, right: { field: { name: 'c' } } });
  });
});

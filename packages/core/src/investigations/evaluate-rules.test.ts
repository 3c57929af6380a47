import { describe, expect, it } from 'vitest';
import { evaluateRules } from './evaluate-rules.js';
import { clean } from './package.fixture.js';
import { createPackageView, parseCsv, parseSections } from './package-view.js';
import { RULES } from './rules/index.js';
import type { Rule } from './rule.js';

describe('evaluateRules', () => {
  it('should find nothing with every rule on a clean host', () => {
    expect(evaluateRules(clean())).toEqual({ findings: [], errors: [] });
  });

  it('should register rules with unique kebab-case ids and a rationale', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.rationale.length).toBeGreaterThan(40);
    }
  });

  it('should report a throwing rule and keep the others', () => {
    const boom: Rule = { id: 'boom', title: 'b', severity: 'Low', category: 'x', rationale: '', mitreTechniques: [], evaluate: () => { throw new Error('bad'); } };
    const one: Rule = { ...boom, id: 'one', evaluate: () => [{ description: 'd', packagePath: 'p' }] };
    const out = evaluateRules(createPackageView({ files: {} }), [boom, one]);
    expect(out.errors).toEqual([{ ruleId: 'boom', message: 'bad' }]);
    expect(out.findings.map((f) => f.ruleId)).toEqual(['one']);
  });
});

describe('package parsing', () => {
  it('should read RFC 4180 CSV with quotes, doubled quotes, newlines and CRLF', () => {
    expect(parseCsv('a,b\r\n1,"x, ""y""\nz"\r\n2,\r\n')).toEqual([['a', 'b'], ['1', 'x, "y"\nz'], ['2', '']]);
  });

  it('should split file dumps into sections and ignore the "none found" line', () => {
    expect(parseSections('==> /a <==\nx\ny\n\n==> /b <==\n\n')).toEqual([{ source: '/a', body: 'x\ny' }, { source: '/b', body: '' }]);
    expect(parseSections('No cron found.\n')).toEqual([]);
  });
});

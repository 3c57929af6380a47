/** Runs every rule over a package; a rule that throws is reported, never fatal to the others. */
import type { FindingSeverity } from '@cordon/protocol';
import type { PackageView } from './package-view.js';
import type { Rule, RuleHit } from './rule.js';
import { RULES } from './rules/index.js';

export interface RuleFinding {
  ruleId: string;
  title: string;
  severity: FindingSeverity;
  category: string;
  mitreTechniques: readonly string[];
  hit: RuleHit;
}

export interface RuleEvaluation {
  findings: RuleFinding[];
  /** Rules that threw: id -> message. */
  errors: { ruleId: string; message: string }[];
}

export function evaluateRules(pkg: PackageView, rules: readonly Rule[] = RULES): RuleEvaluation {
  const findings: RuleFinding[] = [];
  const errors: RuleEvaluation['errors'] = [];
  for (const rule of rules) {
    try {
      for (const hit of rule.evaluate(pkg)) {
        findings.push({ ruleId: rule.id, title: rule.title, severity: rule.severity, category: rule.category, mitreTechniques: rule.mitreTechniques, hit });
      }
    } catch (err) {
      errors.push({ ruleId: rule.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { findings, errors };
}

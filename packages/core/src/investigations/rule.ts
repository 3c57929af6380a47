/**
 * A detection rule is data: one module per rule under rules/, with its rationale next to the
 * logic and a planted/clean test beside it. Rules are pure functions of the package view.
 */
import type { FindingSeverity } from '@cordon/protocol';
import type { PackageView } from './package-view.js';

/** What a rule reports for one suspicious artefact. */
export interface RuleHit {
  /** One sentence an analyst reads in the alert. */
  description: string;
  /** The package file the evidence is in. */
  packagePath: string;
  filePath?: string | null;
  processId?: number | null;
  commandLine?: string | null;
  accountName?: string | null;
  sha256?: string | null;
  /** Lower-case hex; what remediation (StopAndQuarantineFile) needs. Only when the package carries it. */
  sha1?: string | null;
  /** The matched row or line, verbatim. */
  detail?: string | null;
}

export interface Rule {
  /** kebab-case, equal to the file name. */
  id: string;
  title: string;
  severity: FindingSeverity;
  /** MDE alert category (e.g. `Execution`, `Persistence`, `PrivilegeEscalation`). */
  category: string;
  /** Why this matters and what it costs in false positives: shown to reviewers, not to devices. */
  rationale: string;
  /** MITRE ATT&CK technique ids, copied to the alert. */
  mitreTechniques: readonly string[];
  evaluate(pkg: PackageView): RuleHit[];
}

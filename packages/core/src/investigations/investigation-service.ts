/**
 * Automated investigation (mde-api.md §4.13): start -> CollectInvestigationPackage + Quick
 * RunAntiVirusScan (requestSource `AutomatedInvestigation`) -> when both are final, evaluate the
 * detection rules over the package -> one alert per finding -> remediate (StopAndQuarantineFile) if
 * the tenant's remediation level (tenant setting `remediationLevel`, read when the decision is made)
 * is Full -> final state. `advance` is an idempotent step function:
 * whoever sees an action change (the server's ActionBus subscriber, or the resume at start) calls
 * it, so a restart loses nothing; each step ends with a compare-and-set on the stage.
 */
import { isFinalStatus, toMdeTimestamp, type ActionStatus, type RemediationLevel, type AlertInvestigationState, type Investigation, type InvestigationDecision, type InvestigationFinding, type InvestigationState } from '@cordon/protocol';
import { DomainError, isDomainError } from '../errors.js';
import type { ActionService, Requester } from '../actions/action-service.js';
import type { AlertService, Detection } from '../alerts/alert-service.js';
import { detectionsOf, MAX_ALERTS_PER_ACTION } from '../alerts/alert-service.js';
import type { ActionRecord, ListResult } from '../ports/action-store.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { InvestigationPatch, InvestigationRecord, InvestigationStore } from '../ports/investigation-store.js';
import type { MachineStore } from '../ports/machine-store.js';
import type { ODataQuery } from '../odata/ast.js';
import { parseODataQuery } from '../odata/query.js';
import { ALERT_FIELDS } from '../odata/entities.js';
import { resolveMachineOrThrow } from '../machines/machine-lookup.js';
import { packageResultOf } from '../live-response/live-response-rules.js';
import { createPackageView } from './package-view.js';
import { evaluateRules } from './evaluate-rules.js';
import type { Rule } from './rule.js';
import { RULES } from './rules/index.js';

export const INVESTIGATION_REQUEST_SOURCE = 'AutomatedInvestigation';

/** Reads a package blob: path inside the zip -> UTF-8 text (the server unzips). */
export interface PackageReader {
  read(tenantId: string, blobId: string): Promise<ReadonlyMap<string, string>>;
}

export interface InvestigationServiceDeps {
  investigations: InvestigationStore;
  actions: ActionService;
  machines: MachineStore;
  alerts: Pick<AlertService, 'createAlerts' | 'list' | 'update'>;
  packages: PackageReader;
  clock: Clock;
  ids: IdGenerator;
  /** The tenant's known-bad hash lines (`<sha256>:<size>:<name>`); only SHA-256 ones are used. */
  indicators(tenantId: string): Promise<readonly string[]>;
  /** The tenant's level (protocol REMEDIATION_LEVELS); asked each time an investigation decides to remediate. */
  remediationLevel(tenantId: string): Promise<RemediationLevel>;
  rules?: readonly Rule[];
  onError?(err: unknown, context: Record<string, unknown>): void;
}

export interface StartInvestigationInput {
  comment: string;
  /** Set when an alert started it (Cordon's own callers); the public API sends only a Comment. */
  triggeringAlertId?: string | null;
}

const ID = /^\d{1,16}$/;
const SHA256_LINE = /^([0-9a-f]{64})(:|$)/i;

export class InvestigationService {
  readonly #deps: InvestigationServiceDeps;
  /** Per-investigation queue: one advance at a time in this process. */
  readonly #running = new Map<string, Promise<unknown>>();

  constructor(deps: InvestigationServiceDeps) {
    this.#deps = deps;
  }

  async start(requester: Requester, machineRef: string, input: StartInvestigationInput): Promise<InvestigationRecord> {
    const machine = await resolveMachineOrThrow(this.#deps.machines, requester.tenantId, machineRef);
    const open = await this.#deps.investigations.unfinishedOnMachine(requester.tenantId, machine.id);
    if (open) throw new DomainError('ActiveRequestAlreadyExists', `Investigation ${open.id} is already running on machine ${machine.id}`, { details: { investigationId: open.id } });
    const id = await this.#newId(requester.tenantId);
    const comment = `Automated investigation ${id}${input.comment ? `: ${input.comment}` : ''}`;
    // The package is essential. A device that cannot collect one gets the documented UnsupportedOs
    // investigation (MDE answers the same way); any other refusal creates nothing and is the answer.
    let pkg: ActionRecord | undefined;
    let unsupported = '';
    try {
      pkg = await this.#deps.actions.create(requester, machine.id, { type: 'CollectInvestigationPackage', comment, requestSource: INVESTIGATION_REQUEST_SOURCE });
    } catch (err) {
      if (!isDomainError(err) || err.code !== 'OsPlatformNotSupported') throw err;
      unsupported = err.message;
    }
    let scanActionId: string | null = null;
    let scanNote = '';
    if (pkg) {
      try {
        scanActionId = (await this.#deps.actions.create(requester, machine.id, { type: 'RunAntiVirusScan', comment, scope: 'Quick', parameters: { ScanType: 'Quick' }, requestSource: INVESTIGATION_REQUEST_SOURCE })).id;
      } catch (err) {
        if (!isDomainError(err)) throw err;
        scanNote = ` The Quick scan could not be started: ${err.message}.`;
      }
    }
    const now = this.#now();
    const record: InvestigationRecord = {
      tenantId: requester.tenantId,
      id,
      startTime: now,
      endTime: pkg ? null : now,
      state: pkg ? 'Running' : 'UnsupportedOs',
      cancelledBy: null,
      statusDetails: pkg ? `Collecting the investigation package${scanActionId ? ' and running a Quick scan' : ''}.${scanNote}` : `The device cannot collect an investigation package: ${unsupported}`,
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      triggeringAlertId: input.triggeringAlertId ?? null,
      packageActionId: pkg?.id ?? null,
      scanActionId,
      remediationActionIds: [],
      findings: [],
      alertIds: input.triggeringAlertId ? [input.triggeringAlertId] : [],
      stage: pkg ? 'Collecting' : 'Done',
      requestor: requester.name,
      comment: input.comment,
      packageBlobId: null,
      lastUpdateTime: now,
      decision: null,
      decidedBy: null,
      decisionTime: null,
      decisionComment: null,
    };
    if (!(await this.#deps.investigations.create(record))) throw new DomainError('InternalServerError', 'Could not allocate an investigation id');
    return record;
  }

  async get(tenantId: string, id: string): Promise<InvestigationRecord> {
    const found = ID.test(id) ? await this.#deps.investigations.get(tenantId, id) : undefined;
    if (!found) throw new DomainError('ResourceNotFound', `Investigation ${id} was not found`);
    return found;
  }

  list(tenantId: string, query: ODataQuery): Promise<ListResult<InvestigationRecord>> {
    return this.#deps.investigations.list(tenantId, query);
  }

  /** The investigation new alerts on this machine should join, if one is running. */
  runningOn(tenantId: string, machineId: string): Promise<InvestigationRecord | undefined> {
    return this.#deps.investigations.unfinishedOnMachine(tenantId, machineId);
  }

  /** For the action event subscriber: any final action on a machine with a running investigation moves it. */
  async onActionChanged(action: ActionRecord): Promise<void> {
    if (!isFinalStatus(action.status)) return;
    const inv = await this.#deps.investigations.unfinishedOnMachine(action.tenantId, action.machineId);
    if (inv) await this.advance(inv.tenantId, inv.id);
  }

  /** Resumes every unfinished investigation (server start: actions may have finished while it was down). */
  async resumeAll(): Promise<void> {
    for (const inv of await this.#deps.investigations.listUnfinished()) {
      await this.advance(inv.tenantId, inv.id).catch((err: unknown) => this.#deps.onError?.(err, { investigationId: inv.id }));
    }
  }

  /** Moves the investigation as far as its actions allow; safe to call any number of times. */
  advance(tenantId: string, id: string): Promise<InvestigationRecord | undefined> {
    return this.#serial(tenantId, id, () => this.#step(tenantId, id));
  }

  /** Runs `fn` after every earlier step of the same investigation in this process. */
  #serial<T>(tenantId: string, id: string, fn: () => Promise<T>): Promise<T> {
    const key = `${tenantId}/${id}`;
    const next = (this.#running.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
    this.#running.set(key, next);
    void next.finally(() => { if (this.#running.get(key) === next) this.#running.delete(key); }).catch(() => undefined);
    return next;
  }

  async #step(tenantId: string, id: string): Promise<InvestigationRecord | undefined> {
    let inv = await this.#deps.investigations.get(tenantId, id);
    if (!inv || inv.stage === 'Done') return inv;
    await this.#joinAlerts(inv);
    if (inv.stage === 'Collecting') inv = await this.#afterCollection(inv);
    if (inv?.stage === 'Remediating') inv = await this.#afterRemediation(inv);
    return inv;
  }

  async #afterCollection(inv: InvestigationRecord): Promise<InvestigationRecord | undefined> {
    const pkgAction = await this.#action(inv, inv.packageActionId);
    const scanAction = inv.scanActionId ? await this.#action(inv, inv.scanActionId) : undefined;
    if (!pkgAction || !isFinalStatus(pkgAction.status)) return inv;
    if (scanAction && !isFinalStatus(scanAction.status)) return inv;
    const ref = pkgAction.status === 'Succeeded' ? packageResultOf(pkgAction) : null;
    if (pkgAction.status === 'Cancelled') {
      return this.#finish(inv, 'Collecting', 'TerminatedByUser', `The investigation package collection was cancelled by ${pkgAction.cancellationRequestor ?? 'a user'}.`, { cancelledBy: pkgAction.cancellationRequestor });
    }
    if (!ref) {
      return this.#finish(inv, 'Collecting', 'Failed', `The investigation package collection ended ${pkgAction.status}${pkgAction.errorMessage ? `: ${pkgAction.errorMessage}` : ''}; nothing could be evaluated.`);
    }
    let files: ReadonlyMap<string, string>;
    try {
      files = await this.#deps.packages.read(inv.tenantId, ref.blobId);
    } catch (err) {
      return this.#finish(inv, 'Collecting', 'Failed', `The investigation package could not be read: ${err instanceof Error ? err.message : String(err)}.`);
    }
    const sha256 = (await this.#deps.indicators(inv.tenantId)).map((l) => SHA256_LINE.exec(l.trim())?.[1]).filter((h): h is string => h !== undefined);
    const evaluation = evaluateRules(createPackageView({ files, indicators: { sha256 } }), this.#deps.rules);
    const scanDetections = scanAction?.status === 'Succeeded' ? detectionsOf(scanAction.result) : [];
    const sha1Of = new Map(scanDetections.filter((d) => d.sha1 && d.sha256).map((d) => [d.sha256!, d.sha1!]));
    const notes: string[] = [];
    if (scanAction && scanAction.status !== 'Succeeded') notes.push(`The Quick scan ended ${scanAction.status}.`);
    if (evaluation.errors.length > 0) notes.push(`Rules that failed: ${evaluation.errors.map((e) => `${e.ruleId} (${e.message})`).join(', ')}.`);

    const findings: InvestigationFinding[] = evaluation.findings.map((f) => ({
      ruleId: f.ruleId,
      title: f.title,
      severity: f.severity,
      category: f.category,
      description: f.hit.description,
      evidence: {
        packageBlobId: ref.blobId,
        packagePath: f.hit.packagePath,
        filePath: f.hit.filePath ?? null,
        processId: f.hit.processId ?? null,
        commandLine: f.hit.commandLine ?? null,
        accountName: f.hit.accountName ?? null,
        sha256: f.hit.sha256 ?? null,
        // The package's own SHA-1 (agents that write ExecutableSha1), else the scan's for the same SHA-256.
        sha1: f.hit.sha1 || (f.hit.sha256 && sha1Of.get(f.hit.sha256)) || null,
        detail: f.hit.detail ?? null,
      },
      alertId: null,
      remediationActionId: null,
    }));
    // The Quick scan's detections are the investigation's too (their alerts come from the scan
    // alert hook and join through #joinAlerts), so they are remediated with the rest.
    for (const d of scanDetections) findings.push(scanFinding(d, ref.blobId));

    await this.#raiseAlerts(inv, findings);
    if (scanAction && scanDetections.length > 0) {
      // The scan alert hook creates the same alerts (same dedupe key) when it sees the scan finish;
      // whichever runs first inserts them, and this one ties them to the investigation either way.
      await this.#deps.alerts.createAlerts(inv.tenantId, { id: inv.machineId, computerDnsName: inv.computerDnsName }, scanDetections, 'Antivirus', scanAction.id, { investigationId: Number(inv.id) });
      // createAlerts answers only the alerts it inserted: when the hook ran first they exist already,
      // so the scan's alerts are read back to link every scan finding to its alert.
      const ofScan = await this.#deps.alerts.list(inv.tenantId, parseODataQuery({ $filter: `actionId eq '${scanAction.id.replace(/'/g, "''")}'`, $top: String(MAX_ALERTS_PER_ACTION) }, ALERT_FIELDS));
      const byPath = new Map(ofScan.rows.map((a) => [evidencePath(a.evidence[0]), a.id]));
      for (const f of findings) if (f.ruleId === SCAN_RULE_ID) f.alertId = byPath.get(f.evidence.filePath ?? '') ?? null;
      await this.#joinAlerts(inv);
    }
    const patch: InvestigationPatch = { packageBlobId: ref.blobId, findings, alertIds: [...new Set([...inv.alertIds, ...findings.map((f) => f.alertId).filter((a): a is string => a !== null)])] };
    if (findings.length === 0) return this.#finish(inv, 'Collecting', 'Benign', ['No threats found: every detection rule came back clean and the Quick scan found nothing.', ...notes].join(' '), patch);

    const level = await this.#deps.remediationLevel(inv.tenantId);
    if (level !== 'Full') {
      return this.#finish(inv, 'Collecting', 'PendingApproval', [`${findings.length} finding(s); the tenant's remediation level (${level}) leaves remediation to an analyst.`, ...notes].join(' '), patch);
    }
    const actionBySha1 = await this.#startRemediation(inv, findings, { tenantId: inv.tenantId, name: INVESTIGATION_REQUEST_SOURCE }, notes);
    for (const f of findings) f.remediationActionId = (f.evidence.sha1 && actionBySha1.get(f.evidence.sha1)) || null;
    if (actionBySha1.size === 0) {
      return this.#finish(inv, 'Collecting', 'PendingApproval', [`${findings.length} finding(s), none remediable automatically (a StopAndQuarantineFile needs the file's SHA-1, which neither the package nor the scan reported); remediation is left to an analyst.`, ...notes].join(' '), patch);
    }
    return this.#deps.investigations.update(inv.tenantId, inv.id, 'Collecting', {
      ...patch,
      findings,
      stage: 'Remediating',
      remediationActionIds: [...actionBySha1.values()],
      statusDetails: [`${findings.length} finding(s); remediating ${actionBySha1.size} file(s).`, ...notes].join(' '),
      lastUpdateTime: this.#now(),
    });
  }

  /**
   * One StopAndQuarantineFile per distinct SHA-1 among the findings (requestSource
   * AutomatedInvestigation; `requester` is the investigation itself under Full, the approving
   * analyst after an approval). Refusals become notes; returns SHA-1 -> action id.
   */
  async #startRemediation(inv: InvestigationRecord, findings: readonly InvestigationFinding[], requester: Requester, notes: string[], approvedBy?: string): Promise<Map<string, string>> {
    const actionBySha1 = new Map<string, string>();
    for (const sha1 of new Set(findings.map((f) => f.evidence.sha1).filter((s): s is string => s !== null))) {
      try {
        const a = await this.#deps.actions.create(requester, inv.machineId, {
          type: 'StopAndQuarantineFile',
          comment: `Automated investigation ${inv.id}: remediate ${sha1}${approvedBy ? `, approved by ${approvedBy}` : ''}`,
          parameters: { Sha1: sha1 },
          relatedFileInfo: { fileIdentifier: sha1, fileIdentifierType: 'Sha1' },
          requestSource: INVESTIGATION_REQUEST_SOURCE,
        });
        actionBySha1.set(sha1, a.id);
      } catch (err) {
        if (!isDomainError(err)) throw err;
        notes.push(`Could not start remediation of ${sha1}: ${err.message}.`);
      }
    }
    return actionBySha1;
  }

  /**
   * @extension Cordon: an analyst approves the remediation a PendingApproval investigation holds
   * back: the StopAndQuarantineFile actions the Full level would have started are started (under
   * the analyst's name, requestSource AutomatedInvestigation), and the investigation runs again
   * (`Running`) to the final state those actions give it, as under Full.
   */
  approve(requester: Requester, id: string, comment: string): Promise<InvestigationRecord> {
    return this.#serial(requester.tenantId, id, async () => {
      const inv = await this.#pendingApproval(requester.tenantId, id, 'approved');
      const remediable = inv.findings.filter((f) => f.evidence.sha1 !== null);
      if (remediable.length === 0) {
        throw new DomainError('InvalidRequest', `Investigation ${inv.id} has nothing to remediate automatically: StopAndQuarantineFile needs a file's SHA-1, and none of its ${inv.findings.length} finding(s) has one`);
      }
      // One unfinished investigation per machine (as start() keeps it): action changes advance only that one.
      const open = await this.#deps.investigations.unfinishedOnMachine(inv.tenantId, inv.machineId);
      if (open) throw new DomainError('ActiveRequestAlreadyExists', `Investigation ${open.id} is running on machine ${inv.machineId}; approve ${inv.id} when it has ended`, { details: { investigationId: open.id } });
      const notes: string[] = [];
      const actionBySha1 = await this.#startRemediation(inv, remediable, requester, notes, requester.name);
      if (actionBySha1.size === 0) throw new DomainError('InvalidRequest', `Investigation ${inv.id}: no remediation could be started. ${notes.join(' ')}`);
      const findings = inv.findings.map((f) => ({ ...f, remediationActionId: (f.evidence.sha1 && actionBySha1.get(f.evidence.sha1)) || f.remediationActionId }));
      const now = this.#now();
      const updated = await this.#deps.investigations.update(inv.tenantId, inv.id, 'Done', {
        stage: 'Remediating',
        state: 'Running',
        endTime: null,
        findings,
        remediationActionIds: [...actionBySha1.values()],
        statusDetails: [`Remediation approved by ${requester.name}; remediating ${actionBySha1.size} file(s).`, ...notes].join(' '),
        ...decision('Approved', requester, comment, now),
      }, 'PendingApproval');
      if (!updated) throw await this.#decidedMeanwhile(inv, 'approved');
      for (const alertId of updated.alertIds) {
        await this.#deps.alerts.update(inv.tenantId, alertId, { investigationState: 'Running' }).catch((err: unknown) => this.#deps.onError?.(err, { alertId }));
      }
      // An action may have finished before the investigation was Remediating, unseen by advance.
      return (await this.#step(inv.tenantId, inv.id)) ?? updated;
    });
  }

  /** @extension Cordon: an analyst declines the pending remediation; the investigation ends `TerminatedByUser`. */
  reject(requester: Requester, id: string, comment: string): Promise<InvestigationRecord> {
    return this.#serial(requester.tenantId, id, async () => {
      const inv = await this.#pendingApproval(requester.tenantId, id, 'rejected');
      const now = this.#now();
      const done = await this.#deps.investigations.update(inv.tenantId, inv.id, 'Done', {
        state: 'TerminatedByUser',
        cancelledBy: requester.name,
        endTime: now,
        statusDetails: `Remediation rejected by ${requester.name}: ${comment}`,
        ...decision('Rejected', requester, comment, now),
      }, 'PendingApproval');
      if (!done) throw await this.#decidedMeanwhile(inv, 'rejected');
      for (const alertId of done.alertIds) {
        await this.#deps.alerts.update(inv.tenantId, alertId, { investigationState: toAlertState('TerminatedByUser') }).catch((err: unknown) => this.#deps.onError?.(err, { alertId }));
      }
      return done;
    });
  }

  async #pendingApproval(tenantId: string, id: string, verb: string): Promise<InvestigationRecord> {
    const inv = await this.get(tenantId, id);
    if (inv.state !== 'PendingApproval') throw notPending(inv, verb);
    return inv;
  }

  async #decidedMeanwhile(inv: InvestigationRecord, verb: string): Promise<DomainError> {
    return notPending((await this.#deps.investigations.get(inv.tenantId, inv.id)) ?? inv, verb);
  }

  async #afterRemediation(inv: InvestigationRecord): Promise<InvestigationRecord | undefined> {
    const statuses = new Map<string, ActionStatus>();
    for (const actionId of inv.remediationActionIds) {
      const a = await this.#action(inv, actionId);
      if (!a || !isFinalStatus(a.status)) return inv;
      statuses.set(actionId, a.status);
    }
    const remediated = inv.findings.filter((f) => f.remediationActionId && statuses.get(f.remediationActionId) === 'Succeeded');
    const state: InvestigationState = remediated.length === inv.findings.length ? 'SuccessfullyRemediated' : remediated.length > 0 ? 'PartiallyRemediated' : 'PendingApproval';
    const failed = [...statuses.values()].filter((s) => s !== 'Succeeded').length;
    const details = `${inv.findings.length} finding(s), ${remediated.length} remediated${failed > 0 ? `; ${failed} remediation action(s) did not succeed` : ''}${remediated.length < inv.findings.length ? '; the rest need an analyst' : ''}.`;
    const done = await this.#finish(inv, 'Remediating', state, details);
    if (done) {
      for (const f of remediated) {
        if (f.alertId) await this.#deps.alerts.update(inv.tenantId, f.alertId, { status: 'Resolved' }).catch((err: unknown) => this.#deps.onError?.(err, { alertId: f.alertId }));
      }
    }
    return done;
  }

  /**
   * One alert per rule finding, idempotent by key, tied to the investigation. The alert reads like
   * the rule: its title, the finding's sentence followed by the rule's rationale, its techniques.
   */
  async #raiseAlerts(inv: InvestigationRecord, findings: InvestigationFinding[]): Promise<void> {
    const machine = { id: inv.machineId, computerDnsName: inv.computerDnsName };
    const rules = new Map((this.#deps.rules ?? RULES).map((r) => [r.id, r]));
    for (const [i, f] of findings.entries()) {
      if (f.ruleId === SCAN_RULE_ID) continue;
      const rule = rules.get(f.ruleId);
      const detection: Detection = {
        path: f.evidence.filePath ?? f.evidence.packagePath,
        sha1: f.evidence.sha1,
        sha256: f.evidence.sha256,
        size: null,
        signature: `Cordon.Investigation.${f.ruleId}`,
        title: f.title,
        description: rule ? `${f.description} ${rule.rationale}` : f.description,
        mitreTechniques: rule?.mitreTechniques ?? [],
      };
      const key = `investigation:${inv.id}:${i}`;
      const created = await this.#deps.alerts.createAlerts(inv.tenantId, machine, [detection], 'AutomatedInvestigation', inv.packageActionId, {
        severity: f.severity,
        category: f.category,
        investigationId: Number(inv.id),
        dedupeKey: () => key,
      });
      f.alertId = created[0]?.id ?? null;
    }
  }

  /** Alerts raised on the machine since the investigation started join it (seed: "further alerts join"). */
  async #joinAlerts(inv: InvestigationRecord): Promise<void> {
    const query = parseODataQuery({ $filter: `machineId eq '${inv.machineId.replace(/'/g, "''")}' and alertCreationTime ge ${inv.startTime}` }, ALERT_FIELDS);
    const { rows } = await this.#deps.alerts.list(inv.tenantId, query);
    const joined = rows.filter((a) => a.investigationId === null || a.investigationId === Number(inv.id));
    const fresh = joined.filter((a) => !inv.alertIds.includes(a.id));
    for (const a of fresh) await this.#deps.alerts.update(inv.tenantId, a.id, { investigationId: Number(inv.id), investigationState: 'Running' });
    if (fresh.length > 0) {
      const updated = await this.#deps.investigations.update(inv.tenantId, inv.id, inv.stage, { alertIds: [...inv.alertIds, ...fresh.map((a) => a.id)], lastUpdateTime: this.#now() });
      if (updated) Object.assign(inv, updated);
    }
  }

  async #finish(inv: InvestigationRecord, from: InvestigationRecord['stage'], state: InvestigationState, statusDetails: string, patch: InvestigationPatch = {}): Promise<InvestigationRecord | undefined> {
    const now = this.#now();
    const done = await this.#deps.investigations.update(inv.tenantId, inv.id, from, { ...patch, stage: 'Done', state, statusDetails, endTime: now, lastUpdateTime: now });
    if (done) {
      const alertState = toAlertState(state);
      for (const alertId of done.alertIds) {
        await this.#deps.alerts.update(inv.tenantId, alertId, { investigationId: Number(inv.id), investigationState: alertState }).catch((err: unknown) => this.#deps.onError?.(err, { alertId }));
      }
    }
    return done ?? (await this.#deps.investigations.get(inv.tenantId, inv.id));
  }

  async #action(inv: InvestigationRecord, id: string | null): Promise<ActionRecord | undefined> {
    if (!id) return undefined;
    try {
      return await this.#deps.actions.get(inv.tenantId, id);
    } catch (err) {
      if (isDomainError(err) && err.code === 'ResourceNotFound') return undefined;
      throw err;
    }
  }

  async #newId(tenantId: string): Promise<string> {
    for (let i = 0; i < 5; i++) {
      // 48 random bits as a decimal string: numeric like MDE's ids and safe as a JS number (alerts' investigationId).
      const id = String(Number.parseInt(this.#deps.ids.uuid().replace(/-/g, '').slice(0, 12), 16) || 1);
      if (!(await this.#deps.investigations.get(tenantId, id))) return id;
    }
    throw new DomainError('InternalServerError', 'Could not allocate an investigation id');
  }

  #now(): string {
    return toMdeTimestamp(this.#deps.clock.now());
  }
}

const SCAN_RULE_ID = 'antivirus-scan';

function scanFinding(d: Detection, blobId: string): InvestigationFinding {
  return {
    ruleId: SCAN_RULE_ID,
    title: `Antivirus detection: ${d.signature}`,
    severity: 'High',
    category: 'Malware',
    description: `The investigation's Quick scan found '${d.signature}' in ${d.path}.`,
    evidence: { packageBlobId: blobId, packagePath: '', filePath: d.path, processId: null, commandLine: null, accountName: null, sha256: d.sha256, sha1: d.sha1, detail: null },
    alertId: null,
    remediationActionId: null,
  };
}

/** The full path an alert's file evidence names (MDE splits it into folder and name). */
function evidencePath(e: { filePath: string | null; fileName: string | null } | undefined): string {
  if (!e?.fileName) return '';
  return e.filePath ? `${e.filePath === '/' ? '' : e.filePath}/${e.fileName}` : e.fileName;
}

function toAlertState(state: InvestigationState): AlertInvestigationState {
  return state === 'PartiallyInvestigated' || state === 'TerminatedByUser' || state === 'TerminatedBySystem' ? 'Terminated' : state;
}

/** The wire Investigation: the record without Cordon's bookkeeping. */
export function toWireInvestigation(r: InvestigationRecord): Investigation {
  return {
    id: r.id,
    startTime: r.startTime,
    endTime: r.endTime,
    state: r.state,
    cancelledBy: r.cancelledBy,
    statusDetails: r.statusDetails,
    machineId: r.machineId,
    computerDnsName: r.computerDnsName,
    triggeringAlertId: r.triggeringAlertId,
    packageActionId: r.packageActionId,
    scanActionId: r.scanActionId,
    remediationActionIds: r.remediationActionIds,
    findings: r.findings,
    alertIds: r.alertIds,
    // Investigations stored before decisions existed have none of these fields.
    decision: r.decision ?? null,
    decidedBy: r.decidedBy ?? null,
    decisionTime: r.decisionTime ?? null,
    decisionComment: r.decisionComment ?? null,
  };
}

function decision(kind: InvestigationDecision, requester: Requester, comment: string, now: string): InvestigationPatch {
  return { decision: kind, decidedBy: requester.name, decisionTime: now, decisionComment: comment, lastUpdateTime: now };
}

function notPending(inv: InvestigationRecord, verb: string): DomainError {
  return new DomainError('InvalidRequest', `Investigation ${inv.id} is ${inv.state}; only a PendingApproval investigation can be ${verb}`);
}

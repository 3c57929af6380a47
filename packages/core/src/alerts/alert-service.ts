/**
 * Alerts: scan detections become MDE-shaped alerts; automated investigations add their
 * own findings through the same `createAlerts`. Reads are tenant-scoped like every collection.
 */
import {
  ALERT_CLASSIFICATIONS,
  ALERT_DETERMINATIONS,
  ALERT_UPDATE_STATUSES,
  toMdeTimestamp,
  type AlertComment,
  type AlertDetectionSource,
  type AlertEvidence,
  type AlertSeverity,
  type UpdateAlertBody,
} from '@cordon/protocol';
import type { Requester } from '../actions/action-service.js';
import { DomainError } from '../errors.js';
import type { ActionRecord, ListResult } from '../ports/action-store.js';
import type { AlertPatch, AlertRecord, AlertStore } from '../ports/alert-store.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { MachineStore } from '../ports/machine-store.js';
import type { FilterNode, ODataQuery } from '../odata/ast.js';
import { resolveMachineOrThrow } from '../machines/machine-lookup.js';

/** One file a scanner (or an investigation) flagged. */
export interface Detection {
  path: string;
  sha1: string | null;
  sha256: string | null;
  size: number | null;
  /** The signature / threat name that matched. */
  signature: string;
  /** The alert's title; default `'<signature>' malware was detected` (scan detections). */
  title?: string | null;
  /** The alert's description; default names the signature, the path and the device. */
  description?: string | null;
  /** MITRE ATT&CK technique ids for the alert (investigation rules carry them). */
  mitreTechniques?: readonly string[];
}

/** The machine an alert is about (a MachineRecord fits). */
export interface AlertMachine {
  id: string;
  computerDnsName: string;
  rbacGroupName?: string | null;
}

export interface CreateAlertOptions {
  severity?: AlertSeverity;
  category?: string;
  investigationId?: number | null;
  /** Defaults to `source:actionId:path` when an action id is given, else no deduplication. */
  dedupeKey?: (d: Detection) => string | null;
}

export interface AlertServiceDeps {
  alerts: AlertStore;
  machines: MachineStore;
  clock: Clock;
  ids: IdGenerator;
}

/** A result can carry at most this many detections into alerts (the rest are counted, not kept). */
export const MAX_ALERTS_PER_ACTION = 1000;

const ALERT_ID = /^da\d{1,20}_\d{1,12}$/;
const HEX = /^[0-9a-f]+$/i;

/** .NET ticks (100 ns since 0001-01-01), as MDE alert ids carry them. */
function dotnetTicks(epochMs: number): string {
  return (BigInt(Math.floor(epochMs)) * 10_000n + 621_355_968_000_000_000n).toString();
}

export class AlertService {
  readonly #deps: AlertServiceDeps;

  constructor(deps: AlertServiceDeps) {
    this.#deps = deps;
  }

  /**
   * One alert per detection. Idempotent by dedupe key: returns only the alerts that are new.
   * @example await alerts.createAlerts(tenantId, machine, detections, 'Antivirus', action.id)
   */
  async createAlerts(tenantId: string, machine: AlertMachine, detections: readonly Detection[], source: AlertDetectionSource, actionId: string | null, options: CreateAlertOptions = {}): Promise<AlertRecord[]> {
    if (detections.length === 0) return [];
    const nowMs = this.#deps.clock.now();
    const now = toMdeTimestamp(nowMs);
    const keyOf = options.dedupeKey ?? ((d: Detection) => (actionId ? `${source}:${actionId}:${d.path}` : null));
    const seen = new Set<string>();
    const records: AlertRecord[] = [];
    for (const d of detections.slice(0, MAX_ALERTS_PER_ACTION)) {
      const dedupeKey = keyOf(d);
      if (dedupeKey !== null && seen.has(dedupeKey)) continue; // the same path twice in one result
      if (dedupeKey !== null) seen.add(dedupeKey);
      records.push(this.#record(tenantId, machine, d, source, actionId, dedupeKey, nowMs, now, options));
    }
    return this.#deps.alerts.insertNew(records);
  }

  /**
   * The hook for finished scans: a Succeeded RunAntiVirusScan whose result lists detections gets
   * one alert per detection. Anything else (or a malformed result) creates nothing.
   */
  async fromScanAction(action: ActionRecord): Promise<AlertRecord[]> {
    if (action.type !== 'RunAntiVirusScan' || action.status !== 'Succeeded') return [];
    const detections = detectionsOf(action.result);
    if (detections.length === 0) return [];
    const machine = (await this.#deps.machines.get(action.tenantId, action.machineId)) ?? { id: action.machineId, computerDnsName: action.computerDnsName ?? action.machineId };
    return this.createAlerts(action.tenantId, machine, detections, 'Antivirus', action.id);
  }

  async get(tenantId: string, id: string): Promise<AlertRecord> {
    if (!ALERT_ID.test(id)) throw new DomainError('ResourceNotFound', `Alert ${id} was not found`);
    const alert = await this.#deps.alerts.get(tenantId, id);
    if (!alert) throw new DomainError('ResourceNotFound', `Alert ${id} was not found`);
    return alert;
  }

  list(tenantId: string, query: ODataQuery): Promise<ListResult<AlertRecord>> {
    return this.#deps.alerts.list(tenantId, query);
  }

  /**
   * `GET /machines/{id}/alerts`: the machine's alerts, `{id}` resolved like every machine route
   * (ResourceNotFound for an unknown one); the caller's `$filter` still applies, within them.
   */
  async listForMachine(tenantId: string, machineRef: string, query: ODataQuery): Promise<ListResult<AlertRecord>> {
    const machine = await resolveMachineOrThrow(this.#deps.machines, tenantId, machineRef);
    const ofMachine: FilterNode = { kind: 'compare', op: 'eq', field: 'machineId', value: { kind: 'string', value: machine.id } };
    return this.#deps.alerts.list(tenantId, { ...query, filter: query.filter ? { kind: 'and', left: ofMachine, right: query.filter } : ofMachine });
  }

  /** For investigations: link an alert, move its state. `lastUpdateTime` is set here. */
  async update(tenantId: string, id: string, patch: AlertPatch, comment?: AlertComment): Promise<AlertRecord> {
    const now = toMdeTimestamp(this.#deps.clock.now());
    const full: AlertPatch = { ...patch, lastUpdateTime: now };
    if (patch.status === 'Resolved' && patch.resolvedTime === undefined) full.resolvedTime = now;
    const updated = await this.#deps.alerts.update(tenantId, id, full, comment);
    if (!updated) throw new DomainError('ResourceNotFound', `Alert ${id} was not found`);
    return updated;
  }

  /**
   * MDE "Update alert" (`PATCH /alerts/{id}`): status, assignedTo, classification, determination,
   * and a comment appended to `comments[]` under the caller's name. Every value is checked before
   * anything is written. `resolvedTime` is set when the status becomes Resolved (kept when it
   * already was) and cleared when the alert is reopened.
   */
  async updateByAnalyst(requester: Requester, id: string, body: UpdateAlertBody): Promise<AlertRecord> {
    const patch = analystPatchOf(body);
    const current = await this.get(requester.tenantId, id);
    const now = toMdeTimestamp(this.#deps.clock.now());
    if (patch.status === 'Resolved') patch.resolvedTime = current.status === 'Resolved' ? current.resolvedTime : now;
    else if (patch.status !== undefined) patch.resolvedTime = null;
    const comment: AlertComment | undefined = body.comment === undefined ? undefined : { comment: body.comment, createdBy: requester.name, createdTime: now };
    return this.update(requester.tenantId, id, patch, comment);
  }

  #record(tenantId: string, machine: AlertMachine, d: Detection, source: AlertDetectionSource, actionId: string | null, dedupeKey: string | null, nowMs: number, now: string, options: CreateAlertOptions): AlertRecord {
    const fileName = d.path.split(/[\\/]/).pop() || d.path;
    const evidence: AlertEvidence = {
      entityType: 'File',
      evidenceCreationTime: now,
      sha1: d.sha1,
      sha256: d.sha256,
      fileName,
      // MDE: filePath is the folder, fileName the name.
      filePath: d.path.length > fileName.length ? d.path.slice(0, d.path.length - fileName.length - 1) || '/' : null,
      fileSize: d.size,
      detectionName: d.signature,
      processId: null,
      processCommandLine: null,
      parentProcessId: null,
      ipAddress: null,
      url: null,
      registryKey: null,
      accountName: null,
      domainName: null,
      userSid: null,
      aadUserId: null,
      userPrincipalName: null,
      detectionStatus: 'Detected',
    };
    const suffix = Number.parseInt(this.#deps.ids.uuid().replace(/-/g, '').slice(0, 8), 16) % 10_000_000_000;
    return {
      tenantId,
      dedupeKey,
      id: `da${dotnetTicks(nowMs)}_${suffix}`,
      incidentId: null,
      investigationId: options.investigationId ?? null,
      assignedTo: null,
      severity: options.severity ?? 'Medium',
      status: 'New',
      classification: null,
      determination: null,
      investigationState: 'Unknown',
      detectionSource: source,
      detectorId: null,
      category: options.category ?? 'Malware',
      threatFamilyName: d.signature,
      title: d.title || `'${d.signature}' malware was detected`,
      description: d.description || `${source === 'Antivirus' ? 'The antivirus scan' : 'An automated investigation'} found '${d.signature}' in ${d.path} on ${machine.computerDnsName}.`,
      alertCreationTime: now,
      firstEventTime: now,
      lastEventTime: now,
      lastUpdateTime: now,
      resolvedTime: null,
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      rbacGroupName: machine.rbacGroupName ?? null,
      aadTenantId: tenantId,
      threatName: d.signature,
      mitreTechniques: [...(d.mitreTechniques ?? [])],
      relatedUser: null,
      loggedOnUsers: [],
      comments: [],
      evidence: [evidence],
      actionId,
    };
  }
}

const UPDATABLE = ['status', 'assignedTo', 'classification', 'determination', 'comment'] as const;

/** The patch an analyst's update body asks for, or InvalidInput naming the first bad property. */
function analystPatchOf(body: UpdateAlertBody): AlertPatch {
  if (!UPDATABLE.some((k) => body[k] !== undefined)) {
    throw new DomainError('InvalidRequestBody', `The request body must set at least one of ${UPDATABLE.join(', ')}`);
  }
  const patch: AlertPatch = {};
  if (body.status !== undefined) patch.status = oneOf('status', body.status, ALERT_UPDATE_STATUSES);
  if (body.classification !== undefined) patch.classification = oneOf('classification', body.classification, ALERT_CLASSIFICATIONS);
  if (body.determination !== undefined) patch.determination = oneOf('determination', body.determination, ALERT_DETERMINATIONS);
  // An empty owner unassigns: MDE documents no other way to clear assignedTo.
  if (body.assignedTo !== undefined) patch.assignedTo = body.assignedTo.trim() === '' ? null : body.assignedTo.trim();
  return patch;
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new DomainError('InvalidInput', `Invalid value '${value}' for ${field}; allowed values: ${allowed.join(', ')}`);
}

/** Reads `result.detections` defensively: it comes from an agent (each entry typed and capped). */
export function detectionsOf(result: Record<string, unknown> | null): Detection[] {
  const list = result?.detections;
  if (!Array.isArray(list)) return [];
  const out: Detection[] = [];
  for (const item of list.slice(0, MAX_ALERTS_PER_ACTION)) {
    if (item === null || typeof item !== 'object') continue;
    const r = item as Record<string, unknown>;
    if (typeof r.path !== 'string' || r.path.length === 0 || r.path.length > 4096) continue;
    const sig = typeof r.signatureName === 'string' ? r.signatureName : typeof r.signature === 'string' ? r.signature : 'Unknown';
    out.push({
      path: r.path,
      sha1: hash(r.sha1, 40),
      sha256: hash(r.sha256, 64),
      size: typeof r.size === 'number' && Number.isFinite(r.size) && r.size >= 0 ? r.size : null,
      signature: sig.slice(0, 256) || 'Unknown',
    });
  }
  return out;
}

function hash(v: unknown, length: number): string | null {
  return typeof v === 'string' && v.length === length && HEX.test(v) ? v.toLowerCase() : null;
}

/** The wire Alert: the record without its tenant and idempotency key. */
export function toWireAlert(a: AlertRecord): Omit<AlertRecord, 'tenantId' | 'dedupeKey'> {
  const { tenantId: _t, dedupeKey: _k, ...wire } = a;
  return wire;
}

/**
 * One entry per action type: everything the server, agent, web and CLI know about a type that is
 * not code of their own. A new type in ACTION_TYPES fails to compile until it has an entry here,
 * and every consumer (routes, OpenAPI document, permission table, run timeouts, result limits,
 * machine state, web buttons, CLI verbs) picks the entry up from this one place.
 */
import type { TSchema } from '@sinclair/typebox';
import { ISOLATION_TYPES, SCAN_TYPES, type ActionMechanism, type ActionType, type RelatedFileInfo } from './machine-action.js';
import type { HealthStatus, IsolationState, OnboardingStatus } from './machine.js';
import type { OperationPermissions } from './permissions.js';
import { CommentBody, IsolateBody, RunAntiVirusScanBody, RunLiveResponseBody, StopAndQuarantineFileBody } from './requests.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The kinds of result file an agent uploads for an action. */
export const RESULT_KINDS = ['package', 'transcript', 'file'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

/** The most bytes the server takes for one result of each kind (413 past it). */
export const RESULT_MAX_BYTES = {
  /** Investigation package zip. */
  package: 2 * 1024 ** 3,
  /** Live response RunScript transcript (JSON). */
  transcript: 10 * 1024 ** 2,
  /** Live response GetFile: MDE's limit is 3 GB (mde-api.md §7); the agent refuses larger files before uploading. */
  file: 3 * 1024 ** 3,
} as const satisfies Record<ResultKind, number>;

/** What a succeeded action changes on its machine record. */
export type MachineEffect = Partial<{ isolationState: IsolationState; isRestricted: boolean; onboardingStatus: OnboardingStatus; healthStatus: HealthStatus }>;

/** A flag of a CLI verb, filling one body field. */
export interface CliFlagSpec {
  /** Commander syntax, e.g. `--type <type>`. */
  flags: string;
  description: string;
  /** The request-body field the flag's value goes to. */
  field: string;
  choices?: readonly string[];
  default?: string;
  required?: boolean;
}

/** How the request body becomes the action's scope, parameters and related file. */
export interface ActionRequestRule {
  /** The body field whose value is both the action's `scope` and its one parameter (mde-api.md §4.1). */
  scopeFrom?: 'IsolationType' | 'ScanType';
  /** The value when the body leaves `scopeFrom` out. */
  defaultScope?: string;
  /** Values of `scopeFrom` the schema accepts but Cordon refuses, with the refusal message. */
  refused?: Readonly<Record<string, string>>;
  /** The body field naming a file by SHA-1 (stored lower-case, also as `relatedFileInfo`). */
  sha1From?: 'Sha1';
}

export interface ActionSpec {
  /** Path segment under `/machines/{id}/`, as the docs spell it; matching is case-insensitive (client-wire-facts 2). */
  segment: string;
  /** The API operation id (permission table, OpenAPI, audit). */
  operation: string;
  /** 201 everywhere except offboard, which MDE answers with 200 (mde-api.md §4.5, §9.1). */
  status: 200 | 201;
  body: TSchema;
  /** What the caller needs, application and delegated (mde-api.md §3). */
  permissions: OperationPermissions;
  /**
   * `responseAction`: the generic route creates it from `request`. `liveResponse`: its own route
   * and service (commands, library files, per-command progress; mde-api.md §4.9).
   */
  createdBy: 'responseAction' | 'liveResponse';
  request: ActionRequestRule;
  /** The platform capability the agent's executor needs; a device without it does not advertise the type. */
  capability: string;
  /** The mechanism it acts on (see ACTION_MECHANISM); null when it changes no enforced state. */
  mechanism: ActionMechanism | null;
  /**
   * How long it may stay InProgress once the agent accepted it, before the reaper times it out.
   * Generous: the agent enforces its own, tighter per-command limits (RunScript 10 min).
   */
  runTimeoutMs: number;
  /** The result files it may upload. */
  results: readonly ResultKind[];
  /** What success does to the machine record, from the action's parameters. */
  effect?: (parameters: Readonly<Record<string, unknown>>) => MachineEffect;
  /** Success also revokes the device's agent credential, in the same write (offboarding). */
  revokesAgent?: true;
  /** How people see it in lists ("Isolate device"). */
  label: string;
  /** The button and dialog title that starts it, when not the label. */
  commandLabel?: string;
  /**
   * The `cordon <verb> <machine>` command that creates it. `confirm`: the action cuts the machine
   * off or destroys something, so on a terminal the CLI shows the machine and asks before sending.
   */
  cli?: { verb: string; description: string; flags?: readonly CliFlagSpec[]; confirm?: true };
}

const READ_APP = ['Machine.Read.All', 'Machine.ReadWrite.All'] as const;
const one = (app: OperationPermissions['app'][number], delegated: OperationPermissions['delegated'][number]): OperationPermissions => ({ app: [app], delegated: [delegated] });
const quarantinePermissions: OperationPermissions = { app: [['Machine.StopAndQuarantine'], READ_APP], delegated: [['Machine.StopAndQuarantine']] };

// UnManagedDevice "contains" a device that has no sensor (mde-api.md §4.3); every Cordon machine
// has an agent, so the request can only be a mistake.
const REFUSED_ISOLATION_TYPES: Readonly<Record<string, string>> = {
  UnManagedDevice: "IsolationType 'UnManagedDevice' applies only to devices without an agent; use 'Full' or 'Selective'",
};

/** Isolation types a managed (agent) device accepts: ISOLATION_TYPES without the refused ones. */
export const MANAGED_ISOLATION_TYPES = ISOLATION_TYPES.filter((t) => !(t in REFUSED_ISOLATION_TYPES));

// Offboarding ends every enforcement with the enrollment, and the device stops reporting.
const OFFBOARDED: MachineEffect = { onboardingStatus: 'Offboarded', healthStatus: 'Inactive', isolationState: 'NotIsolated', isRestricted: false };

/** Every action type's spec (see ActionSpec); typed so each ActionType must have exactly one entry. */
export const ACTION_CATALOG = {
  Isolate: {
    segment: 'isolate',
    operation: 'isolate',
    status: 201,
    body: IsolateBody,
    permissions: one(['Machine.Isolate'], ['Machine.Isolate']),
    createdBy: 'responseAction',
    request: {
      scopeFrom: 'IsolationType',
      defaultScope: 'Full',
      refused: REFUSED_ISOLATION_TYPES,
    },
    capability: 'nft',
    mechanism: 'isolation',
    runTimeoutMs: 10 * MINUTE,
    results: [],
    effect: (p) => ({ isolationState: p.IsolationType === 'Selective' ? 'SelectivelyIsolated' : 'Isolated' }),
    label: 'Isolate device',
    cli: {
      verb: 'isolate',
      description: 'isolate a machine from the network',
      confirm: true,
      flags: [{ flags: '--type <type>', description: 'isolation type', field: 'IsolationType', choices: MANAGED_ISOLATION_TYPES }],
    },
  },
  Unisolate: {
    segment: 'unisolate',
    operation: 'unisolate',
    status: 201,
    body: CommentBody,
    permissions: one(['Machine.Isolate'], ['Machine.Isolate']),
    createdBy: 'responseAction',
    request: {},
    capability: 'nft',
    mechanism: 'isolation',
    runTimeoutMs: 10 * MINUTE,
    results: [],
    effect: () => ({ isolationState: 'NotIsolated' }),
    label: 'Release from isolation',
    cli: { verb: 'release', description: 'release a machine from isolation' },
  },
  RestrictCodeExecution: {
    segment: 'restrictCodeExecution',
    operation: 'restrictCodeExecution',
    status: 201,
    body: CommentBody,
    permissions: one(['Machine.RestrictExecution'], ['Machine.RestrictExecution']),
    createdBy: 'responseAction',
    request: {},
    capability: 'fanotify',
    mechanism: 'restriction',
    runTimeoutMs: 30 * MINUTE,
    results: [],
    effect: () => ({ isRestricted: true }),
    label: 'Restrict app execution',
    cli: { verb: 'restrict', description: 'restrict app execution to trusted software', confirm: true },
  },
  UnrestrictCodeExecution: {
    segment: 'unrestrictCodeExecution',
    operation: 'unrestrictCodeExecution',
    status: 201,
    body: CommentBody,
    permissions: one(['Machine.RestrictExecution'], ['Machine.RestrictExecution']),
    createdBy: 'responseAction',
    request: {},
    capability: 'fanotify',
    mechanism: 'restriction',
    runTimeoutMs: 10 * MINUTE,
    results: [],
    effect: () => ({ isRestricted: false }),
    label: 'Remove app restrictions',
    cli: { verb: 'unrestrict', description: 'lift the app execution restriction' },
  },
  RunAntiVirusScan: {
    segment: 'runAntiVirusScan',
    operation: 'runAntiVirusScan',
    status: 201,
    body: RunAntiVirusScanBody,
    permissions: one(['Machine.Scan'], ['Machine.Scan']),
    createdBy: 'responseAction',
    request: { scopeFrom: 'ScanType' },
    capability: 'clamscan',
    mechanism: null,
    runTimeoutMs: 24 * HOUR, // a Full scan of a large disk
    results: [],
    label: 'Antivirus scan',
    commandLabel: 'Run antivirus scan',
    cli: {
      verb: 'scan',
      description: 'run an antivirus scan',
      flags: [{ flags: '--type <type>', description: 'scan type', field: 'ScanType', choices: SCAN_TYPES, default: 'Quick' }],
    },
  },
  Offboard: {
    segment: 'offboard',
    operation: 'offboard',
    status: 200,
    body: CommentBody,
    permissions: one(['Machine.Offboard'], ['Machine.Offboard']),
    createdBy: 'responseAction',
    request: {},
    capability: 'offboard',
    mechanism: 'device',
    runTimeoutMs: 10 * MINUTE,
    results: [],
    effect: () => OFFBOARDED,
    revokesAgent: true,
    label: 'Offboard',
    cli: { verb: 'offboard', description: 'offboard a machine', confirm: true },
  },
  StopAndQuarantineFile: {
    segment: 'StopAndQuarantineFile',
    operation: 'stopAndQuarantineFile',
    status: 201,
    body: StopAndQuarantineFileBody,
    // Two groups: the quarantine permission and a read permission (I-6055, mde-api.md §4.6).
    permissions: quarantinePermissions,
    createdBy: 'responseAction',
    request: { sha1From: 'Sha1' },
    capability: 'proc',
    mechanism: 'quarantine',
    runTimeoutMs: 30 * MINUTE,
    results: [],
    label: 'Stop and quarantine file',
    cli: {
      verb: 'quarantine',
      description: 'stop processes running a file and quarantine it',
      confirm: true,
      flags: [{ flags: '--sha1 <hash>', description: 'SHA-1 of the file', field: 'Sha1', required: true }],
    },
  },
  /** @extension Cordon: undoes StopAndQuarantineFile, with the same permission. */
  RestoreQuarantinedFile: {
    segment: 'restoreQuarantinedFile',
    operation: 'restoreQuarantinedFile',
    status: 201,
    body: StopAndQuarantineFileBody,
    permissions: quarantinePermissions,
    createdBy: 'responseAction',
    request: { sha1From: 'Sha1' },
    capability: 'proc',
    mechanism: 'quarantine',
    runTimeoutMs: 10 * MINUTE,
    results: [],
    label: 'Restore quarantined file',
    cli: {
      verb: 'restore',
      description: 'restore a file that quarantine (StopAndQuarantineFile) moved away',
      flags: [{ flags: '--sha1 <hash>', description: 'SHA-1 of the quarantined file', field: 'Sha1', required: true }],
    },
  },
  CollectInvestigationPackage: {
    segment: 'collectInvestigationPackage',
    operation: 'collectInvestigationPackage',
    status: 201,
    body: CommentBody,
    permissions: one(['Machine.CollectForensics'], ['Machine.CollectForensics']),
    createdBy: 'responseAction',
    request: {},
    capability: 'collectInvestigationPackage',
    mechanism: null,
    runTimeoutMs: 30 * MINUTE,
    results: ['package'],
    label: 'Collect investigation package',
    cli: { verb: 'collect', description: 'collect an investigation package (then: cordon package download)' },
  },
  LiveResponse: {
    segment: 'runliveresponse',
    operation: 'runLiveResponse',
    // The doc's sample says 200; the real code is 201 (mde-api.md §4.9, I-5908).
    status: 201,
    body: RunLiveResponseBody,
    permissions: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
    createdBy: 'liveResponse',
    request: {},
    capability: 'liveResponse',
    mechanism: null,
    runTimeoutMs: 4 * HOUR, // several commands of up to 30 min each (mde-api.md §7)
    results: ['transcript', 'file'],
    label: 'Live response',
  },
} as const satisfies Record<ActionType, ActionSpec>;

type Catalog = typeof ACTION_CATALOG;

/** The spec of one type, widened to ActionSpec (for code that reads optional fields). */
export function actionSpec(type: ActionType): ActionSpec {
  return ACTION_CATALOG[type];
}

/** Every entry with its type, in catalog order. */
export const ACTION_SPECS: readonly (ActionSpec & { type: ActionType })[] = (Object.keys(ACTION_CATALOG) as ActionType[]).map((type) => ({ type, ...actionSpec(type) }));

/**
 * The mechanism each action type acts on. On one device, actions of one mechanism never run at the
 * same time and run in the order the server accepted them (creation time, then id), so the device
 * ends in the state the last one asked for. `device` (Offboard) acts on everything: it runs after
 * every action accepted before it, and actions accepted after it wait for it. `null`: the action
 * changes no enforced state and runs side by side with others (a scan while a package is collected).
 */
export const ACTION_MECHANISM = mapCatalog((spec) => spec.mechanism) as { readonly [K in ActionType]: Catalog[K]['mechanism'] };

/** Run timeout of each type (ActionSpec.runTimeoutMs). */
export const ACTION_RUN_TIMEOUTS_MS = mapCatalog((spec) => spec.runTimeoutMs) as { readonly [K in ActionType]: Catalog[K]['runTimeoutMs'] };

/** The permission table rows of the action-creating operations, by operation id. */
export const ACTION_OPERATION_PERMISSIONS = Object.fromEntries(ACTION_SPECS.map((s) => [s.operation, s.permissions])) as {
  readonly [K in ActionType as Catalog[K]['operation']]: OperationPermissions;
};

/** What the generic response-action route stores for a request body. */
export interface ActionRequest {
  scope?: string;
  parameters?: Record<string, unknown>;
  relatedFileInfo?: RelatedFileInfo;
}

export type ActionRequestCheck = { ok: true; request: ActionRequest } | { ok: false; code: 'InvalidRequestBody'; message: string };

/**
 * Turns a (schema-valid) request body into the action's scope, parameters and related file, by the
 * type's `request` rule; refuses the values the rule refuses. The one place UnManagedDevice is
 * refused for a managed device.
 */
export function actionRequestOf(type: ActionType, body: Readonly<Record<string, unknown>>): ActionRequestCheck {
  const rule = actionSpec(type).request;
  if (rule.scopeFrom) {
    const value = (body[rule.scopeFrom] as string | undefined) ?? rule.defaultScope;
    const refusal = value === undefined ? undefined : rule.refused?.[value];
    if (refusal) return { ok: false, code: 'InvalidRequestBody', message: refusal };
    return { ok: true, request: { scope: value as string, parameters: { [rule.scopeFrom]: value } } };
  }
  if (rule.sha1From) {
    const sha1 = String(body[rule.sha1From]).toLowerCase();
    return { ok: true, request: { parameters: { [rule.sha1From]: sha1 }, relatedFileInfo: { fileIdentifier: sha1, fileIdentifierType: 'Sha1' } } };
  }
  return { ok: true, request: {} };
}

/**
 * The parameters a wire MachineAction implies: the wire carries `scope`, which for a type with a
 * `scopeFrom` rule is its one parameter (the web reads effects this way, like the server does).
 */
export function parametersFromScope(type: ActionType, scope: string | null): Record<string, unknown> {
  const field = actionSpec(type).request.scopeFrom;
  return field && scope !== null ? { [field]: scope } : {};
}

/**
 * What a Succeeded action of `type` with `parameters` does to its machine record; `{}` for types
 * that change no recorded state.
 * @example machineEffectOf('Isolate', { IsolationType: 'Selective' }) // { isolationState: 'SelectivelyIsolated' }
 */
export function machineEffectOf(type: ActionType, parameters: Readonly<Record<string, unknown>>): MachineEffect {
  return { ...actionSpec(type).effect?.(parameters) };
}

function mapCatalog<V>(pick: (spec: ActionSpec) => V): Record<ActionType, V> {
  return Object.fromEntries(ACTION_SPECS.map((s) => [s.type, pick(s)])) as Record<ActionType, V>;
}

/** The result files an action of `type` may upload (empty: none). */
export function resultKindsOf(type: ActionType): readonly ResultKind[] {
  return ACTION_CATALOG[type].results;
}

/**
 * Agent <-> server messages, LSP-style (house style 8.5): each method is a constant with its
 * direction, params and result types, and the protocol version it appeared in (`since`).
 *
 * Framing is JSON-RPC-like without the `jsonrpc` field: a request `{ id, method, params }` gets a
 * response `{ id, result }` or `{ id, error: { code, message } }`; a notification has no `id`.
 * Over WebSocket each frame is one message; over long-poll the agent POSTs requests to
 * `/agent/v1/rpc` and GETs notifications from `/agent/v1/poll`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { SignedActionFields } from './action-signature.js';
import type { MachineIpAddress } from './machine.js';
import { LOGON_TYPES } from './logon-user.js';
import { COMMAND_STATUSES, LIVE_RESPONSE_COMMAND_TYPES } from './machine-action.js';
import type { AgentSettings } from './tenant-settings.js';
import { literalUnion, nullable, strict } from './schema-helpers.js';
import { LiveDoneParams, LiveOutputParams, type LiveCommandParams } from './live-console.js';

/** Bumped when a message changes incompatibly; each method says the version it appeared in. */
export const AGENT_PROTOCOL_VERSION = 1;

/** URL paths of the agent endpoints (not under `/api`: they are not part of the MDE surface). */
export const AGENT_PATHS = {
  enroll: '/agent/v1/enroll',
  websocket: '/agent/v1/ws',
  poll: '/agent/v1/poll',
  rpc: '/agent/v1/rpc',
} as const;

/** Request headers that carry a device's signature (see `canonicalRequestText`). */
export const AGENT_AUTH_HEADERS = {
  machineId: 'x-cordon-machine',
  timestamp: 'x-cordon-timestamp',
  nonce: 'x-cordon-nonce',
  signature: 'x-cordon-signature',
  /** Long-poll only: the agent's session, so the server keeps one notification queue per session. */
  session: 'x-cordon-session',
} as const;

/** What `cordon onboarding-package` prints and `cordon agent --onboarding` reads. */
export interface OnboardingPackage {
  /** Format version of this file. */
  version: 1;
  /** Base URL of the server (`https://host:port`); the first of `serverUrls` when the package names several. */
  serverUrl: string;
  /**
   * Every URL the agent may connect to, in the order it tries them: it sticks to one that works and
   * moves to the next when it fails (one TLS pin for all). Absent in older packages: `[serverUrl]`.
   * @since 1
   */
  serverUrls?: string[];
  tenantId: string;
  /** `<id>.<secret>`: single-use (or `maxUses`) and expiring. */
  enrollmentSecret: string;
  /** ISO instant after which the secret no longer enrolls. */
  expiresAt: string;
  /** SHA-256 fingerprint of the server's TLS certificate (hex, lowercase, no colons); null for plain http (tests only). */
  tlsCertSha256: string | null;
  /** The server's TLS certificate (PEM) so the agent can trust a self-signed one; null for http. */
  tlsCertPem: string | null;
  /** Ed25519 public key(s) that sign actions, raw 32 bytes base64; the agent accepts only these. */
  actionSigningKeys: { keyId: string; publicKey: string }[];
}

/** What a device tells the server about itself (at enrollment and on every connect). */
export interface DeviceInfo {
  computerDnsName: string;
  osPlatform: string;
  osVersion: string | null;
  osArchitecture: string;
  /** Kernel/OS build string as the agent reads it. */
  version: string | null;
  agentVersion: string;
  lastIpAddress: string | null;
  ipAddresses: MachineIpAddress[];
}

export interface EnrollRequest {
  enrollmentSecret: string;
  /** The device's Ed25519 public key, raw 32 bytes base64. */
  publicKey: string;
  /** Signature by that key over `canonicalEnrollText` (proof the device holds the private key). */
  proof: string;
  device: DeviceInfo;
}

export interface EnrollResponse {
  /** 40 hex: the SHA-1 of the device's public key, so an id is bound to exactly one key. */
  machineId: string;
  tenantId: string;
}

/** The text a device signs at enrollment. */
export function canonicalEnrollText(enrollmentSecretId: string, publicKey: string): string {
  return `cordon-enroll-v1\n${enrollmentSecretId}\n${publicKey}`;
}

/** An action as the server sends it: the signed fields, the signature, and which key made it. */
export interface DispatchedAction extends SignedActionFields {
  /** Ed25519 signature over `canonicalActionText`, base64. */
  signature: string;
  keyId: string;
}

/** Why an agent refused to run an action. */
export const REFUSAL_CODES = [
  'BadSignature', 'UnknownKey', 'Expired', 'Replayed', 'WrongMachine', 'Unsupported', 'InvalidParameters',
  /** A later action on the same mechanism (ACTION_MECHANISM) already ran; running this one would undo it. */
  'Superseded',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type FinishOutcome =
  | { status: 'Succeeded'; result?: Record<string, unknown> }
  | { status: 'Failed'; errorMessage: string; errorCode?: string; errorHResult?: number; result?: Record<string, unknown> };

interface MethodSpec<P, R> {
  method: string;
  direction: 'agentToServer' | 'serverToAgent';
  /** Requests expect a response; notifications do not. */
  kind: 'request' | 'notification';
  since: number;
  /** Type carriers only (never read at run time). */
  params?: P;
  result?: R;
}

function spec<P, R = void>(method: string, direction: MethodSpec<P, R>['direction'], kind: MethodSpec<P, R>['kind'], since: number): MethodSpec<P, R> {
  return { method, direction, kind, since };
}

/**
 * Where a device's antivirus signatures come from: `builtin` (the EICAR test file, every device),
 * `tenant` (the tenant's scan signatures), `clamav` (an installed ClamAV database).
 */
export const AV_SIGNATURE_SOURCES = ['builtin', 'tenant', 'clamav'] as const;
export type AvSignatureSource = (typeof AV_SIGNATURE_SOURCES)[number];

export interface HelloParams extends DeviceInfo {
  protocolVersion: number;
  /** Action types this device can run (it advertises only executors it has). */
  capabilities: string[];
  /**
   * The signature sources the device has of its own: `builtin`, plus `clamav` when a ClamAV
   * database is installed (`tenant` signatures are the server's to know). Only when it can scan.
   * @since 1 (added later; absent from older agents)
   */
  avSignatureSources?: AvSignatureSource[];
}

/** `HelloParams.avSignatureSources`: a few short names, checked by the server before it is stored. */
export const AvSignatureSources = Type.Array(literalUnion(AV_SIGNATURE_SOURCES), { maxItems: AV_SIGNATURE_SOURCES.length, uniqueItems: true });

export interface HelloResult {
  heartbeatIntervalMs: number;
  /** Tenant settings the executors use (isolation exceptions, allow-lists...). */
  settings: AgentSettings;
  /**
   * Public URL of every live server process sharing this deployment's database (this one's
   * included). Isolation keeps each of them reachable, with the agent's own server URL.
   * @since 1 (added later; an agent treats it as absent when missing)
   */
  serverUrls: string[];
}

/** `agent/settings`: the tenant's settings and the live server URLs, as in the hello answer. */
export interface SettingsPushParams {
  settings: AgentSettings;
  /** As `HelloResult.serverUrls`. */
  serverUrls: string[];
}

/** Caps of a logon report: a device cannot grow the server's tables without bound. */
export const LOGON_REPORT_LIMITS = { users: 256, accountNameLength: 64 } as const;

/**
 * `agent/logons` params: the accounts that logged on to the device (from its utmp/wtmp records),
 * one entry per account. Validated by the server against this schema before anything is stored.
 */
export const LogonReportParams = Type.Object(
  {
    users: Type.Array(
      Type.Object(
        {
          /** The login name; printable, no separators that would break `domain\name`. */
          accountName: Type.String({ minLength: 1, maxLength: LOGON_REPORT_LIMITS.accountNameLength, pattern: '^[^\\\\\\u0000-\\u001f\\u007f]+$' }),
          logonTypes: Type.Array(Type.Union(LOGON_TYPES.map((t) => Type.Literal(t))), { minItems: 1, maxItems: LOGON_TYPES.length, uniqueItems: true }),
          /** ISO instants of the earliest and latest logon the device's records hold. */
          firstSeen: Type.String({ minLength: 1, maxLength: 40 }),
          lastSeen: Type.String({ minLength: 1, maxLength: 40 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: LOGON_REPORT_LIMITS.users },
    ),
  },
  { additionalProperties: false },
);
export type LogonReportParams = Static<typeof LogonReportParams>;
export type ReportedLogonUser = LogonReportParams['users'][number];


/** The methods. The server sends pending actions right after answering `agent/hello`. */
export const AGENT_METHODS = {
  /** Agent announces itself and its capabilities after connecting. */
  hello: spec<HelloParams, HelloResult>('agent/hello', 'agentToServer', 'request', 1),
  /**
   * The device's logon users: sent after each hello and again every few minutes (a snapshot of what
   * its records hold); feeds `GET /api/machines/{id}/logonusers`. A server that predates it answers
   * `MethodNotFound`, which the agent ignores.
   */
  logons: spec<LogonReportParams, { ok: true }>('agent/logons', 'agentToServer', 'request', 1),
  /** Liveness: drives `lastSeen` and `healthStatus`. */
  heartbeat: spec<Record<string, never>, { ok: true }>('agent/heartbeat', 'agentToServer', 'request', 1),
  /** Server -> agent: run this signed action. */
  dispatch: spec<{ action: DispatchedAction }>('action/dispatch', 'serverToAgent', 'notification', 1),
  /** Server -> agent: stop running this action (cancelled or timed out). */
  cancel: spec<{ actionId: string; reason: 'Cancelled' | 'TimeOut' }>('action/cancel', 'serverToAgent', 'notification', 1),
  /**
   * Server -> agent: the tenant's settings or the set of live server processes changed; replaces
   * what `agent/hello` returned.
   */
  settings: spec<SettingsPushParams>('agent/settings', 'serverToAgent', 'notification', 1),
  /** Agent accepted the action: Pending -> InProgress. */
  accept: spec<{ actionId: string }, { status: string }>('action/accept', 'agentToServer', 'request', 1),
  /** Intermediate progress of an InProgress action. */
  progress: spec<{ actionId: string; update: { commands?: unknown[]; result?: Record<string, unknown> } }, { status: string }>('action/progress', 'agentToServer', 'request', 1),
  /** Final outcome. Answered with the status the server now holds (which may be another final one, e.g. Cancelled, when a cancel won the race). */
  finish: spec<{ actionId: string; outcome: FinishOutcome }, { status: string }>('action/finish', 'agentToServer', 'request', 1),
  /** The agent refuses to run an action (bad signature, expired, replayed, unsupported...). */
  refuse: spec<{ actionId: string; code: RefusalCode; message: string }, { status: string }>('action/refuse', 'agentToServer', 'request', 1),
  /**
   * Server -> agent: run one live response console command (signed, live-console.ts). Sent only to
   * a device whose hello listed the `LiveConsole` capability.
   */
  liveCommand: spec<LiveCommandParams>('live/command', 'serverToAgent', 'notification', 1),
  /** Server -> agent: stop a running console command (Ctrl-C, session closed, time limit). */
  liveCancel: spec<{ sessionId: string; commandId: number }>('live/cancel', 'serverToAgent', 'notification', 1),
  /** Server -> agent: the session ended; stop its commands and forget it. */
  liveClose: spec<{ sessionId: string }>('live/close', 'serverToAgent', 'notification', 1),
  /** A chunk of a console command's output, as it is produced. */
  liveOutput: spec<LiveOutputParams, { ok: true }>('live/output', 'agentToServer', 'request', 1),
  /** A console command ended (answered `{ ok: true }` also for a session the server no longer has). */
  liveDone: spec<LiveDoneParams, { ok: true }>('live/done', 'agentToServer', 'request', 1),
} as const;

export type AgentMethodName = (typeof AGENT_METHODS)[keyof typeof AGENT_METHODS]['method'];

/** Params/result types by method key, for typed senders. */
export type ParamsOf<K extends keyof typeof AGENT_METHODS> = NonNullable<(typeof AGENT_METHODS)[K]['params']>;
export type ResultOf<K extends keyof typeof AGENT_METHODS> = NonNullable<(typeof AGENT_METHODS)[K]['result']>;

export interface RpcRequest {
  id: number;
  method: string;
  params: unknown;
}
export interface RpcNotification {
  method: string;
  params: unknown;
}
export interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: string; message: string };
}
export type RpcMessage = RpcRequest | RpcNotification | RpcResponse;

// ---- Params schemas of the agent -> server requests ------------------------------------------
//
// A device's message is validated like an API body (TypeBox, checked by the server before
// anything is stored): exact types, length caps, bounded arrays. Unknown properties are allowed
// only where a newer agent may add fields the server ignores (hello); values the server stores are
// never opaque beyond `result`, whose size and depth the server bounds as a whole message.


/** Deepest nesting of a device message (objects and arrays); real messages stay under 6. */
export const MAX_AGENT_MESSAGE_DEPTH = 32;
/** Longest free-text a device may report (error messages, refusal reasons). */
export const MAX_AGENT_TEXT_LENGTH = 4000;

const ActionIdParam = Type.String({ minLength: 1, maxLength: 64 });
/** What an executor reported: free-form JSON, bounded by the message's size and depth limits. */
const ExecutorResult = Type.Record(Type.String({ maxLength: 256 }), Type.Unknown(), { maxProperties: 256 });

export const MachineIpAddressSchema = Type.Object(
  {
    ipAddress: Type.String({ maxLength: 64 }),
    macAddress: Type.String({ maxLength: 64 }),
    operationalStatus: Type.String({ maxLength: 32 }),
    type: Type.String({ maxLength: 64 }),
  },
  strict,
);

export const HelloParamsSchema = Type.Object({
  protocolVersion: Type.Integer({ minimum: 1 }),
  computerDnsName: Type.String({ minLength: 1, maxLength: 255 }),
  osPlatform: Type.String({ maxLength: 64 }),
  osVersion: nullable(Type.String({ maxLength: 64 })),
  osArchitecture: Type.String({ maxLength: 32 }),
  version: nullable(Type.String({ maxLength: 255 })),
  agentVersion: Type.String({ maxLength: 64 }),
  lastIpAddress: nullable(Type.String({ maxLength: 64 })),
  // A host with many interfaces (container veths) reports many; the server keeps the first 64.
  ipAddresses: Type.Array(MachineIpAddressSchema, { maxItems: 1024 }),
  capabilities: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
  avSignatureSources: Type.Optional(AvSignatureSources),
});

/** A command entry as stored in `commands[]` (the MachineAction entity's shape, with caps). */
const CommandEntryParam = Type.Object(
  {
    index: Type.Integer({ minimum: 0, maximum: 49 }),
    startTime: nullable(Type.String({ maxLength: 40 })),
    endTime: nullable(Type.String({ maxLength: 40 })),
    commandStatus: literalUnion(COMMAND_STATUSES),
    errors: Type.Array(Type.String({ maxLength: MAX_AGENT_TEXT_LENGTH }), { maxItems: 16 }),
    command: Type.Object(
      {
        type: literalUnion(LIVE_RESPONSE_COMMAND_TYPES),
        params: Type.Array(Type.Object({ key: Type.String({ maxLength: 64 }), value: Type.String({ maxLength: 4096 }) }, strict), { maxItems: 8 }),
      },
      strict,
    ),
  },
  strict,
);

/**
 * An `action/progress` update: `commands`/`result`, or one live response command report
 * (`commandIndex`, `commandStatus`, times, `errors`, and the command's `result` or null).
 */
export const ProgressUpdateSchema = Type.Object(
  {
    commands: Type.Optional(Type.Array(CommandEntryParam, { maxItems: 50 })),
    result: Type.Optional(nullable(ExecutorResult)),
    commandIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: 49 })),
    commandStatus: Type.Optional(literalUnion(COMMAND_STATUSES)),
    startTime: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
    endTime: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
    errors: Type.Optional(Type.Array(Type.String({ maxLength: MAX_AGENT_TEXT_LENGTH }), { maxItems: 16 })),
  },
  strict,
);

export const FinishOutcomeSchema = Type.Union([
  Type.Object({ status: Type.Literal('Succeeded'), result: Type.Optional(ExecutorResult) }, strict),
  Type.Object(
    {
      status: Type.Literal('Failed'),
      errorMessage: Type.String({ maxLength: MAX_AGENT_TEXT_LENGTH }),
      errorCode: Type.Optional(Type.String({ maxLength: 64 })),
      errorHResult: Type.Optional(Type.Integer({ minimum: -2147483648, maximum: 4294967295 })),
      result: Type.Optional(ExecutorResult),
    },
    strict,
  ),
]);

/**
 * The params schema of every agent -> server request, by the key of its method in AGENT_METHODS
 * (agent-messages.test.ts checks that each request method has one). The server refuses what does
 * not match, before anything is stored.
 */
export const AGENT_REQUEST_PARAMS = {
  hello: HelloParamsSchema,
  heartbeat: Type.Object({}, strict),
  logons: LogonReportParams,
  accept: Type.Object({ actionId: ActionIdParam }, strict),
  progress: Type.Object({ actionId: ActionIdParam, update: ProgressUpdateSchema }, strict),
  finish: Type.Object({ actionId: ActionIdParam, outcome: FinishOutcomeSchema }, strict),
  // `code` is not limited to REFUSAL_CODES: a newer agent's code is recorded as `Refused`.
  refuse: Type.Object({ actionId: ActionIdParam, code: Type.String({ maxLength: 64 }), message: Type.String({ maxLength: MAX_AGENT_TEXT_LENGTH }) }, strict),
  liveOutput: LiveOutputParams,
  liveDone: LiveDoneParams,
} as const satisfies Partial<Record<keyof typeof AGENT_METHODS, TSchema>>;

/** The envelope of an agent request frame (WebSocket) or body (long-poll `POST /agent/v1/rpc`, where `id` is absent). */
export const RpcRequestSchema = Type.Object({
  id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 64 })])),
  method: Type.String({ minLength: 1, maxLength: 128 }),
  params: Type.Optional(Type.Unknown()),
});

// The schemas and the interfaces above must describe the same messages.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const helloMatches: Same<Static<typeof HelloParamsSchema>, HelloParams> = true;
const outcomeMatches: Same<Static<typeof FinishOutcomeSchema>['status'], FinishOutcome['status']> = true;
void helloMatches;
void outcomeMatches;

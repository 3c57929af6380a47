/**
 * Agent <-> server messages, LSP-style (house style 8.5): each method is a constant with its
 * direction, params and result types, and the protocol version it appeared in (`since`).
 *
 * Framing is JSON-RPC-like without the `jsonrpc` field: a request `{ id, method, params }` gets a
 * response `{ id, result }` or `{ id, error: { code, message } }`; a notification has no `id`.
 * Over WebSocket each frame is one message; over long-poll the agent POSTs requests to
 * `/agent/v1/rpc` and GETs notifications from `/agent/v1/poll`.
 */
import type { SignedActionFields } from './action-signature.js';
import type { MachineIpAddress } from './machine.js';
import type { AgentSettings } from './tenant-settings.js';

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
  /** Base URL of the server (`https://host:port`). */
  serverUrl: string;
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

/** The methods. The server sends pending actions right after answering `agent/hello`. */
export const AGENT_METHODS = {
  /** Agent announces itself and its capabilities after connecting. */
  hello: spec<HelloParams, HelloResult>('agent/hello', 'agentToServer', 'request', 1),
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

/**
 * What the server signs when it sends an action to an agent, as canonical text. Pure: the Ed25519
 * sign/verify itself (node:crypto) lives in the server and the agent. Both sides build the bytes
 * with this one function, so they can never disagree on field order or spacing.
 */

/** The fields of a dispatched action the signature covers. */
export interface SignedActionFields {
  /** Action id (GUID). */
  id: string;
  /** The only machine allowed to run it (40 hex). */
  machineId: string;
  /** Action type (ACTION_TYPES). */
  type: string;
  /** What the executor needs; any JSON value. */
  parameters: Record<string, unknown>;
  /** ISO 8601 instant after which the agent refuses to start it. */
  expiresAt: string;
  /** How long the agent lets the executor run before aborting it (ms). */
  runTimeoutMs: number;
  /**
   * When the server accepted the action (its `creationDateTimeUtc`). The agent runs actions on one
   * mechanism in this order (then by id), whatever order they arrive in (ACTION_MECHANISM).
   */
  createdAt: string;
}

/** Domain separation: a signature over something else can never pass as an action signature. */
export const ACTION_SIGNATURE_CONTEXT = 'cordon-action-v1';

/**
 * The exact text that is signed: the context line, then the fields as JSON with object keys
 * sorted at every depth (so a re-serialisation by any JSON library yields the same bytes).
 *
 * @example
 * canonicalActionText({ id, machineId, type: 'Isolate', parameters: { IsolationType: 'Full' }, expiresAt, runTimeoutMs: 600000, createdAt })
 */
export function canonicalActionText(fields: SignedActionFields): string {
  const body = {
    createdAt: fields.createdAt,
    expiresAt: fields.expiresAt,
    id: fields.id,
    machineId: fields.machineId,
    parameters: fields.parameters,
    runTimeoutMs: fields.runTimeoutMs,
    type: fields.type,
  };
  return `${ACTION_SIGNATURE_CONTEXT}\n${canonicalJson(body)}`;
}

/** JSON with sorted object keys; rejects values JSON cannot round-trip (undefined, NaN, functions). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
}

/**
 * The text an agent signs to authenticate one request (WebSocket upgrade, long-poll, enrollment
 * proof): method, path, machine, timestamp, nonce and the body's SHA-256 (hex, of the empty string
 * when there is no body).
 */
export function canonicalRequestText(req: { method: string; path: string; machineId: string; timestamp: string; nonce: string; bodySha256: string }): string {
  return ['cordon-agent-request-v1', req.method.toUpperCase(), req.path, req.machineId, req.timestamp, req.nonce, req.bodySha256].join('\n');
}

/**
 * Authenticates agent requests by the device's own Ed25519 key (never by API tokens): each request
 * carries machine id, timestamp, nonce and a signature over `canonicalRequestText`. A stolen
 * credential therefore only ever acts as that one device, and a revoked (offboarded) one not at all.
 * Nonces are kept in the store (RequestNonceStore), so a captured request replays neither after a
 * restart nor against another server process.
 */
import { AGENT_AUTH_HEADERS, canonicalRequestText } from '@cordon/protocol';
import type { AgentStore, Clock, DeviceCredentialRecord, RequestNonceStore } from '@cordon/core';
import type { KeyObject } from 'node:crypto';
import { publicKeyFromRaw, sha256Hex, verifyText } from './ed25519.js';

export type AuthOutcome = { ok: true; device: DeviceCredentialRecord } | { ok: false; reason: string };

export interface SignedRequest {
  method: string;
  /** Path without query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer | string;
  /**
   * Streamed uploads: the body's SHA-256 as the device declared it, used instead of
   * hashing `body`; the route then checks the streamed content against it.
   */
  bodySha256?: string;
}

export interface DeviceAuthOptions {
  agents: AgentStore;
  /** The replay cache, in the store: every process (and a restarted one) refuses a nonce seen before. */
  nonces: RequestNonceStore;
  clock: Clock;
  /** Where a failed prune of expired nonces is reported (it never fails a request). */
  onError?: (err: unknown) => void;
  /** How far a request's timestamp may be from our clock (ms). */
  maxSkewMs?: number;
}

const EMPTY_SHA256 = sha256Hex('');

export class DeviceAuthenticator {
  readonly #agents: AgentStore;
  readonly #clock: Clock;
  readonly #maxSkewMs: number;
  readonly #nonces: RequestNonceStore;
  readonly #onError: (err: unknown) => void;
  readonly #keys = new Map<string, KeyObject>();
  #lastPrune = 0;

  constructor(options: DeviceAuthOptions) {
    this.#agents = options.agents;
    this.#clock = options.clock;
    this.#nonces = options.nonces;
    this.#onError = options.onError ?? (() => {});
    this.#maxSkewMs = options.maxSkewMs ?? 5 * 60_000;
  }

  async verify(req: SignedRequest): Promise<AuthOutcome> {
    const h = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const machineId = h(AGENT_AUTH_HEADERS.machineId);
    const timestamp = h(AGENT_AUTH_HEADERS.timestamp);
    const nonce = h(AGENT_AUTH_HEADERS.nonce);
    const signature = h(AGENT_AUTH_HEADERS.signature);
    if (!machineId || !timestamp || !nonce || !signature) return { ok: false, reason: 'missing device signature headers' };
    if (!/^[0-9a-f]{40}$/.test(machineId) || nonce.length < 16 || nonce.length > 64) return { ok: false, reason: 'malformed device headers' };
    const now = this.#clock.now();
    const ts = Number(timestamp);
    if (!Number.isFinite(ts) || Math.abs(now - ts) > this.#maxSkewMs) return { ok: false, reason: 'request timestamp outside the allowed clock skew' };
    const device = await this.#agents.getDevice(machineId);
    if (!device) return { ok: false, reason: 'unknown device' };
    if (device.revokedAt) return { ok: false, reason: 'device credential revoked (offboarded)' };
    let key = this.#keys.get(machineId);
    if (!key) {
      key = publicKeyFromRaw(device.publicKey);
      if (this.#keys.size > 50_000) this.#keys.clear();
      this.#keys.set(machineId, key);
    }
    const bodySha256 = req.bodySha256 ?? (req.body === undefined || req.body.length === 0 ? EMPTY_SHA256 : sha256Hex(req.body));
    const text = canonicalRequestText({ method: req.method, path: req.path, machineId, timestamp, nonce, bodySha256 });
    if (!verifyText(key, text, signature)) return { ok: false, reason: 'bad device signature' };
    // Only after the signature checks out, so nobody without the device's key can fill the table.
    // A nonce matters while its timestamp is inside the window: until ts + maxSkew.
    if (!(await this.#nonces.claim(`${machineId}:${nonce}`, ts + this.#maxSkewMs))) return { ok: false, reason: 'replayed request' };
    this.#pruneNonces(now);
    return { ok: true, device };
  }

  /** At most once a minute, in the background: expired nonces only cost space. */
  #pruneNonces(now: number): void {
    if (now - this.#lastPrune < 60_000) return;
    this.#lastPrune = now;
    this.#nonces.prune(now).catch(this.#onError);
  }
}

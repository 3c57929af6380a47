/**
 * Test doubles for the identity and rate-limit ports, behaving as the ports describe (copies in and
 * out, first-writer-wins keys, atomic counters), plus a settable clock. Used by the server's
 * HTTP tests until/unless they run against the real store.
 */
import type { AppRecord, Clock, IdentityStore, IdGenerator, RateLimitStore, SigningKeyRecord, TenantRecord } from '@cordon/core';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryIdentityStore implements IdentityStore {
  readonly #tenants = new Map<string, TenantRecord>();
  readonly #apps = new Map<string, AppRecord>();
  readonly #keys: SigningKeyRecord[] = [];

  async createTenant(tenant: TenantRecord): Promise<void> {
    if (this.#tenants.has(tenant.id)) throw new Error(`tenant ${tenant.id} exists`);
    this.#tenants.set(tenant.id, copy(tenant));
  }
  async getTenant(id: string): Promise<TenantRecord | undefined> {
    return copy(this.#tenants.get(id));
  }
  async listTenants(): Promise<TenantRecord[]> {
    return [...this.#tenants.values()].map(copy);
  }
  async createApp(app: AppRecord): Promise<void> {
    if (this.#apps.has(app.clientId)) throw new Error(`app ${app.clientId} exists`);
    this.#apps.set(app.clientId, copy(app));
  }
  async getApp(clientId: string): Promise<AppRecord | undefined> {
    return copy(this.#apps.get(clientId));
  }
  async listApps(tenantId: string): Promise<AppRecord[]> {
    return [...this.#apps.values()].filter((a) => a.tenantId === tenantId).map(copy);
  }
  async ensureSigningKey(candidate: SigningKeyRecord): Promise<SigningKeyRecord> {
    const existing = this.#keys.find((k) => k.use === candidate.use);
    if (existing) return copy(existing);
    this.#keys.push(copy(candidate));
    return copy(candidate);
  }
  async listSigningKeys(use: SigningKeyRecord['use']): Promise<SigningKeyRecord[]> {
    return this.#keys.filter((k) => k.use === use).map(copy);
  }
  /** Test-only: flip an app's `disabled` flag (the port has no update yet). */
  setDisabled(clientId: string, disabled: boolean): void {
    const app = this.#apps.get(clientId);
    if (!app) throw new Error(`no app ${clientId}`);
    app.disabled = disabled;
  }
}

export class MemoryRateLimitStore implements RateLimitStore {
  /** key -> windowStart -> count */
  readonly counts = new Map<string, Map<number, number>>();
  pruneCalls: number[] = [];

  async hit(key: string, windowStart: number): Promise<number> {
    let windows = this.counts.get(key);
    if (!windows) this.counts.set(key, (windows = new Map()));
    const next = (windows.get(windowStart) ?? 0) + 1;
    windows.set(windowStart, next);
    return next;
  }
  async prune(before: number): Promise<void> {
    this.pruneCalls.push(before);
    for (const windows of this.counts.values()) for (const start of windows.keys()) if (start < before) windows.delete(start);
  }
}

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2025, 0, 15, 10, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

/** Predictable GUIDs: 00000000-0000-4000-8000-000000000001, ...002, ... */
export function sequentialIds(): IdGenerator {
  let n = 0;
  return { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
}

/**
 * Shared harness of the hostile-input tests: the real app on in-memory SQLite with two
 * seeded tenants, a store snapshot, and the invariants every response must keep whatever the input:
 *
 *   - status < 500, and the request settles (fast-check's per-run timeout catches a hang);
 *   - a 4xx body is exactly `{error:{code,message,target}}`, the code is in the protocol catalog and
 *     the status is the catalog's status for that code;
 *   - a 2xx JSON body of an /api route carries `@odata.context`;
 *   - no response to tenant A's caller contains any of tenant B's ids or names;
 *   - a rejected (4xx) request leaves machine_actions, machines, machine_tags and
 *     machine_ip_addresses exactly as they were.
 *
 * Run counts: `CORDON_FUZZ_RUNS` sets the runs of a weight-1 property (default 300, so `npm test`
 * stays quick); `npm run fuzz` raises it so the whole suite generates over 100,000 cases.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { ERROR_CODES, isErrorCode } from '@cordon/protocol';
import { makeMachine } from '@cordon/store/testing';
import { ALL_ROLES, startTestApp, type TestApp } from '../helpers.js';

const DEFAULT_RUNS = 300;

/** Runs of a property of the given weight (share of the suite's budget). */
export function fuzzRuns(weight = 1): number {
  const raw = process.env.CORDON_FUZZ_RUNS;
  const base = raw && /^\d+$/.test(raw) ? Number(raw) : DEFAULT_RUNS;
  return Math.max(10, Math.round(base * weight));
}

/** fast-check parameters: seeded when `CORDON_FUZZ_SEED` is set, so a failure can be replayed. */
export function fuzzParams(weight = 1): fc.Parameters<unknown> {
  const seed = process.env.CORDON_FUZZ_SEED;
  // 10 s for one request is not a performance bound: it only turns a hung request into a failure.
  return { numRuns: fuzzRuns(weight), timeout: 10_000, ...(seed ? { seed: Number(seed) } : {}) };
}

/** Vitest timeout of a property test: generous, scaled with the run count. */
export function fuzzTimeout(weight = 1): number {
  return 60_000 + fuzzRuns(weight) * 40;
}

export interface Seeded {
  machineIds: string[];
  dnsNames: string[];
  actionIds: string[];
}

export interface FuzzApp {
  t: TestApp;
  /** Tenant A's admin token (every permission). */
  admin: string;
  /** Tenant B's admin token. */
  otherAdmin: string;
  otherTenantId: string;
  own: Seeded;
  other: Seeded;
  snapshot(): Promise<string>;
  /** Sends a request as tenant A (unless a token is given) and checks every invariant. */
  send(options: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

const NO_RATE_LIMITS = JSON.stringify(
  Object.fromEntries(['default', 'getPackageUri', 'runLiveResponse', 'startInvestigation'].map((f) => [f, { perMinute: null, perHour: null }])),
);

/** `beforeBoot` may register more plugins (e.g. the agent endpoints) before the first request boots the app. */
export async function startFuzzApp(options: { beforeBoot?: (t: TestApp) => Promise<void> } = {}): Promise<FuzzApp> {
  // Rate limits are tested on their own (resource-limits.test.ts); here they would turn every
  // property into a 429 test after the first hundred runs.
  const t = await startTestApp({ env: { CORDON_RATE_LIMITS: NO_RATE_LIMITS } });
  await options.beforeBoot?.(t);
  const otherTenantId = await t.newTenant();
  const admin = await t.token(ALL_ROLES);
  const otherAdmin = await t.token(ALL_ROLES, otherTenantId);

  const own = await seedTenant(t, t.tenantId, admin, 'alpha', ['ops', 'linux']);
  const other = await seedTenant(t, otherTenantId, otherAdmin, 'zulu-secret', ['zulu-confidential']);

  const snapshot = async () => {
    const parts: unknown[] = [];
    for (const table of ['machine_actions', 'machines', 'machine_tags', 'machine_ip_addresses'] as const) {
      parts.push(await t.store.db.selectFrom(table).selectAll().execute());
    }
    return JSON.stringify(parts);
  };

  const foreign = [...other.machineIds, ...other.dnsNames, ...other.actionIds, otherTenantId, 'zulu-confidential'];

  return {
    t,
    admin,
    otherAdmin,
    otherTenantId,
    own,
    other,
    snapshot,
    async send({ token, ...options }) {
      const before = await snapshot();
      const res = await t.call({ ...options, ...(token === null ? {} : { token: token ?? admin }) });
      checkResponse(res, String(options.url ?? ''));
      if (token === undefined || token === admin) {
        // An id the request itself names may be echoed in a 404 message; every other value of tenant B must not appear.
        const asked = `${safeDecode(String(options.url ?? ''))} ${typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload ?? '')}`.toLowerCase();
        expectNoForeignData(res.body, foreign.filter((v) => !asked.includes(v.toLowerCase())));
      }
      if (res.statusCode >= 400) expect(await snapshot(), `a ${res.statusCode} changed the store`).toBe(before);
      return res;
    },
    close: () => t.close(),
  };
}

async function seedTenant(t: TestApp, tenantId: string, token: string, prefix: string, tags: string[]): Promise<Seeded> {
  const machines = [];
  for (let i = 0; i < 3; i++) {
    const m = makeMachine({ tenantId, computerDnsName: `${prefix}-host-${i}.corp.example`, machineTags: tags, lastIpAddress: `10.9.0.${i + 1}` });
    await t.store.machines.upsert(m);
    machines.push(m);
  }
  const actionIds: string[] = [];
  for (const [segment, body] of [
    ['isolate', { Comment: `${prefix} isolate`, IsolationType: 'Full' }],
    ['runAntiVirusScan', { Comment: `${prefix} scan`, ScanType: 'Quick' }],
    ['collectInvestigationPackage', { Comment: `${prefix} collect` }],
  ] as const) {
    for (const m of machines.slice(0, 2)) {
      const res = await t.call({ method: 'POST', url: `/api/machines/${m.id}/${segment}`, payload: body, token });
      if (res.statusCode !== 201) throw new Error(`seeding failed: ${res.statusCode} ${res.body}`);
      actionIds.push((res.json() as { id: string }).id);
    }
  }
  return { machineIds: machines.map((m) => m.id), dnsNames: machines.map((m) => m.computerDnsName!), actionIds };
}

/** Status < 500, the documented error shape for errors, `@odata.context` on /api successes. */
export function checkResponse(res: LightMyRequestResponse, url: string): void {
  expect(res.statusCode, `5xx for ${url.slice(0, 300)}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expectErrorShape(res);
    return;
  }
  if (res.statusCode >= 200 && res.statusCode < 300 && /^\/api\//i.test(url) && res.body.length > 0) {
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(typeof body['@odata.context'], `no @odata.context for ${url.slice(0, 300)}`).toBe('string');
  }
}

export function expectErrorShape(res: LightMyRequestResponse): { code: string; message: string; target: string } {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as { error: { code: string; message: string; target: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error)).toEqual(['code', 'message', 'target']);
  const { code, message, target } = body.error;
  expect(isErrorCode(code), `unknown code ${code}`).toBe(true);
  expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status, `status of ${code}`).toBe(res.statusCode);
  expect(typeof message).toBe('string');
  expect(message.length).toBeGreaterThan(0);
  expect(typeof target).toBe('string');
  expect(target.length).toBeGreaterThan(0);
  return body.error;
}

export function expectNoForeignData(body: string, foreign: readonly string[]): void {
  const lower = body.toLowerCase();
  for (const value of foreign) expect(lower.includes(value.toLowerCase()), `response leaks another tenant's ${value}`).toBe(false);
}

// ---- generators shared by the properties ----

/** Strings that are hard on parsers: quotes, SQL, control characters, unicode, NUL, long runs. */
export const nastyString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.constantFrom(...SQL_INJECTION_PAYLOADS) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '\uFEFF', '\uD800', '\u202E', '..', '%00', '%', "'", "''", '"', '\\', '${x}', '__proto__', 'constructor') },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 6000 }).map((n) => 'A'.repeat(n)) },
  );

/**
 * Classic SQL-injection payloads (kysely's sql-injection test, OWASP cheat sheets): tautologies,
 * stacked queries, UNION, comments, and quote look-alikes that some collations fold to `'`.
 */
export const SQL_INJECTION_PAYLOADS: readonly string[] = [
  "' OR '1'='1",
  "' OR '1'='1' --",
  "' OR 1=1 --",
  "') OR 1=1 --",
  "')) OR 1=1 --",
  "'; DROP TABLE machine_actions; --",
  "'; DELETE FROM machines; --",
  "1; UPDATE machine_actions SET status='Succeeded'",
  "' UNION SELECT id, tenant_id, status FROM machine_actions --",
  "' UNION ALL SELECT name, sql, type FROM sqlite_master --",
  "' UNION SELECT NULL,NULL,NULL --",
  "Robert'); DROP TABLE machines;--",
  "admin'--",
  "admin' #",
  "' /*",
  "*/ OR 1=1 /*",
  "' AND SLEEP(5) --",
  "'; SELECT pg_sleep(5); --",
  "' || (SELECT tenant_id FROM machines LIMIT 1) || '",
  '" OR ""="',
  '" OR 1=1 --',
  '\\\' OR 1=1 --',
  '\u2019 OR \u20191\u2019=\u20191', // right single quotation mark
  '\u02bc OR 1=1 --', // modifier letter apostrophe
  '\uff07 OR 1=1 --', // fullwidth apostrophe
  '\u0000\' OR 1=1 --',
  '%27 OR 1=1 --',
  '%',
  '_',
  '1 OR 1=1',
  "x' AND tenant_id <> '",
];

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Clock skew within ±5 minutes breaks nothing, on the injected clock (no sleeping):
 * device request signatures from an agent whose clock is up to 5 minutes off are accepted and
 * beyond that refused; bearer tokens keep working across one minute of skew between the host that
 * issued them and the one checking them, on both edges (not yet valid, just expired), and no longer:
 * a token is a revocable credential, so its expiry is kept close (SECURITY.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS } from '@cordon/protocol';
import { wireDispatch } from '@cordon/server';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';
import { addDevice, sha256 } from './forensics-helpers.js';

const MINUTE = 60_000;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('agent clock skew', () => {
  it('should accept device requests signed up to 5 minutes ahead or behind, and refuse beyond', async () => {
    t = await startTestApp();
    await wireDispatch({ built: t, store: t.store, clock: t.clock, heartbeatIntervalMs: 30_000 });
    const device = await addDevice(t, (await t.seedMachine()).id);
    const body = Buffer.from(JSON.stringify({ method: AGENT_METHODS.heartbeat.method, params: {} }));
    const serverNow = t.clock.ms;
    const heartbeatWithAgentClockAt = async (offsetMs: number) => {
      t!.clock.ms = serverNow + offsetMs; // the agent signs with its own (skewed) clock
      const headers = { ...device.headers('POST', AGENT_PATHS.rpc, sha256(body)), [AGENT_AUTH_HEADERS.session]: 'skew-session-0001', 'content-type': 'application/vnd.cordon.rpc+json' };
      t!.clock.ms = serverNow;
      return (await t!.app.inject({ method: 'POST', url: AGENT_PATHS.rpc, headers, payload: body })).statusCode;
    };
    for (const offset of [-5 * MINUTE + 1000, -4 * MINUTE, 0, 4 * MINUTE, 5 * MINUTE - 1000]) expect(await heartbeatWithAgentClockAt(offset), `offset ${offset}`).toBe(200);
    for (const offset of [-6 * MINUTE, 6 * MINUTE]) expect(await heartbeatWithAgentClockAt(offset), `offset ${offset}`).toBe(401);
  });
});

describe('token clock skew', () => {
  it('should accept a token up to 1 minute before its nbf and after its exp, and refuse beyond', async () => {
    t = await startTestApp();
    const issuedAt = t.clock.ms;
    const token = await t.token(ALL_ROLES, undefined, { fresh: true });
    const status = async (at: number) => {
      t!.clock.ms = at;
      return (await t!.call({ method: 'GET', url: '/api/machines', token })).statusCode;
    };
    // The checking host's clock behind the issuer's (token "from the future").
    expect(await status(issuedAt - 50_000)).toBe(200);
    expect(await status(issuedAt - 70_000)).toBe(401);
    // ... and ahead of it, around the one-hour expiry.
    expect(await status(issuedAt + 60 * MINUTE + 50_000)).toBe(200);
    expect(await status(issuedAt + 60 * MINUTE + 70_000)).toBe(401);
  });
});

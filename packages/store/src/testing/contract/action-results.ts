/**
 * ActionResultStore contract: one result per slot (atomically), attach/release only on the state
 * seen, settled and expiring slots. listExpiring is global: each test uses its own far-past year,
 * which no other test's rows fall before.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ContractContext } from './context.js';
import { makeAction } from '../fixtures.js';

const blob = () => randomBytes(16).toString('hex');
const at = (year: number) => `${year}-01-01T00:00:00.0000000Z`;

export function actionResultContract(ctx: ContractContext): void {
  const results = () => ctx.store().results;
  const slotOf = (tenantId: string, actionId: string = randomUUID(), slot = 'command-0', createdAt = at(2026)) => ({ tenantId, actionId, slot, createdAt });

  ctx.it('should reserve a slot once, and other slots, actions and tenants independently', async () => {
    const s = slotOf(ctx.newTenant());
    expect(await results().reserve(s)).toBe(true);
    expect(await results().reserve(s)).toBe(false);
    expect(await results().reserve({ ...s, slot: 'command-1' })).toBe(true);
    expect(await results().reserve({ ...s, actionId: randomUUID() })).toBe(true);
    expect(await results().reserve({ ...s, tenantId: ctx.newTenant() })).toBe(true);
    expect((await results().listForAction(s.tenantId, s.actionId)).map((r) => [r.slot, r.blobId, r.createdAt, r.settledAt, r.expiredAt])).toEqual([
      ['command-0', null, at(2026), null, null],
      ['command-1', null, at(2026), null, null],
    ]);
  });

  ctx.it('should let exactly one of several concurrent reservations of a slot win', async () => {
    const s = slotOf(ctx.newTenant());
    const won = await Promise.all(Array.from({ length: 10 }, () => results().reserve(s)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  ctx.it('should attach a blob only to a reserved, empty slot, and find the slot by its blob in its tenant only', async () => {
    const s = slotOf(ctx.newTenant());
    const b = blob();
    expect(await results().attach(s.tenantId, s.actionId, s.slot, b)).toBe(false);
    await results().reserve(s);
    expect(await results().attach(s.tenantId, s.actionId, s.slot, b)).toBe(true);
    expect(await results().attach(s.tenantId, s.actionId, s.slot, blob())).toBe(false);
    expect(await results().findByBlob(s.tenantId, b)).toMatchObject({ actionId: s.actionId, slot: s.slot, blobId: b });
    expect(await results().findByBlob(ctx.newTenant(), b)).toBeUndefined();
  });

  ctx.it('should release a slot only while it holds what the caller saw', async () => {
    const s = slotOf(ctx.newTenant());
    const b = blob();
    await results().reserve(s);
    await results().attach(s.tenantId, s.actionId, s.slot, b);
    expect(await results().release(s.tenantId, s.actionId, s.slot, null)).toBe(false);
    expect(await results().release(s.tenantId, s.actionId, s.slot, blob())).toBe(false);
    expect(await results().release(s.tenantId, s.actionId, s.slot, b)).toBe(true);
    expect(await results().listForAction(s.tenantId, s.actionId)).toEqual([]);
    await results().reserve(s);
    expect(await results().release(s.tenantId, s.actionId, s.slot, null)).toBe(true);
    expect(await results().reserve(s)).toBe(true);
  });

  ctx.it('should list the slots of ended actions that are not settled, and settle only the slots named', async () => {
    const tenantId = ctx.newTenant();
    const ended = makeAction({ tenantId, type: 'LiveResponse', status: 'InProgress' });
    const open = makeAction({ tenantId, type: 'LiveResponse', status: 'InProgress' });
    await ctx.store().actions.create(ended);
    await ctx.store().actions.create(open);
    for (const action of [ended, open]) {
      for (const slot of ['command-0', 'command-1']) await results().reserve(slotOf(tenantId, action.id, slot));
    }
    expect(await ctx.store().actions.transition(tenantId, ended.id, ['InProgress'], { status: 'Succeeded' })).toBeDefined();
    const mine = async () => (await results().listUnsettledEnded(10_000)).filter((r) => r.tenantId === tenantId);
    expect(await mine()).toEqual([{ tenantId, actionId: ended.id }]);
    await results().markSettled(tenantId, ended.id, ['command-0'], at(2026));
    expect(await mine()).toEqual([{ tenantId, actionId: ended.id }]);
    expect((await results().listForAction(tenantId, ended.id)).map((r) => [r.slot, r.settledAt])).toEqual([
      ['command-0', at(2026)],
      ['command-1', null],
    ]);
    await results().markSettled(tenantId, ended.id, ['command-1'], at(2026));
    expect(await mine()).toEqual([]);
  });

  ctx.it('should list slots with a blob created before an instant, oldest first, and mark each expired once', async () => {
    const tenantId = ctx.newTenant();
    const actionId = randomUUID();
    const [b1, b2] = [blob(), blob()];
    for (const [slot, year, b] of [['command-0', 1901, b1], ['command-1', 1900, b2], ['command-2', 1900, null], ['command-3', 1903, blob()]] as const) {
      await results().reserve(slotOf(tenantId, actionId, slot, at(year)));
      if (b) await results().attach(tenantId, actionId, slot, b);
    }
    expect((await results().listExpiring(at(1902), 100)).map((r) => [r.slot, r.blobId])).toEqual([
      ['command-1', b2],
      ['command-0', b1],
    ]);
    expect((await results().listExpiring(at(1902), 1)).map((r) => r.slot)).toEqual(['command-1']);
    const marks = await Promise.all([1, 2, 3].map(() => results().markExpired(tenantId, actionId, 'command-1', at(2026))));
    expect(marks.filter(Boolean)).toHaveLength(1);
    expect((await results().listExpiring(at(1902), 100)).map((r) => r.slot)).toEqual(['command-0']);
    expect(await results().findByBlob(tenantId, b2)).toMatchObject({ expiredAt: at(2026) });
  });
}

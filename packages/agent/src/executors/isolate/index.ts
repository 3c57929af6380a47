/** Isolate (mde-api.md §4.3): cuts the device off the network except the Cordon server. */
import { ISOLATION_TYPES } from '@cordon/protocol';
import type { ActionExecutor, ExecutorResult } from '../types.js';
import { buildReleaseScript, buildIsolationRuleset } from './ruleset.js';
import {
  applyPlan, buildPlan, ISOLATED_NOTICE, readIsolationState, startIsolationKeeper, writeIsolationState, type IsolationCtx,
} from './isolation.js';

export interface IsolateParams {
  IsolationType?: 'Full' | 'Selective';
}

/** How often the server's name is re-resolved while isolated. */
export const DEFAULT_REFRESH_MS = 60_000;
const PROBE_TIMEOUT_MS = 3_000;

export function createIsolateExecutor(options: { refreshIntervalMs?: number } = {}): ActionExecutor<IsolateParams> {
  const refreshMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_MS;
  return {
    type: 'Isolate',
    capability: 'nft',
    validate(params) {
      if (params === null || typeof params !== 'object') return 'Parameters must be an object';
      const t = (params as Record<string, unknown>).IsolationType;
      if (t === undefined) return undefined; // MDE leaves it optional; Full is the default
      if (!(ISOLATION_TYPES as readonly unknown[]).includes(t)) return `IsolationType must be one of ${ISOLATION_TYPES.join(', ')}`;
      // Defence in depth: the server already refuses UnManagedDevice for an agent's device
      // (protocol actionRequestOf); containing an *unmanaged* device is done by other devices'
      // agents, never by its own, so an action that reached the device anyway must not run.
      if (t === 'UnManagedDevice') return 'IsolationType UnManagedDevice (contain an unmanaged device) is not supported by the device agent';
      return undefined;
    },
    async run(params, ctx): Promise<ExecutorResult> {
      const type = params.IsolationType ?? 'Full';
      const previous = await readIsolationState(ctx);
      const plan = await buildPlan(ctx, type);
      if ('error' in plan) return { status: 'Failed', error: { code: 'IsolationRefused', message: plan.error } };
      const probe = plan.server[0];
      const reachableBefore = await ctx.platform.net.tcpProbe(probe.addr, probe.port, PROBE_TIMEOUT_MS);
      // Persist before applying: a crash between the two re-applies on start instead of releasing.
      await writeIsolationState(ctx, { isolated: true, type, plan, appliedAt: ctx.now() });
      const applied = await applyPlan(ctx, plan);
      if (!applied.ok) {
        await writeIsolationState(ctx, previous); // the nft transaction failed as a whole: nothing changed
        return { status: 'Failed', error: { code: 'IsolationFailed', message: `nft: ${applied.stderr}` } };
      }
      if (reachableBefore && !(await ctx.platform.net.tcpProbe(probe.addr, probe.port, PROBE_TIMEOUT_MS))) {
        await rollBack(ctx, previous);
        return { status: 'Failed', error: { code: 'IsolationFailed', message: `The server ${probe.addr}:${probe.port} was unreachable once isolated; isolation rolled back` } };
      }
      startIsolationKeeper(ctx, refreshMs);
      await ctx.platform.notify.notifyUsers(ISOLATED_NOTICE.title, ISOLATED_NOTICE.body).catch(() => undefined);
      return {
        status: 'Succeeded',
        output: { isolationType: type, server: plan.server, resolvers: plan.resolvers, exceptionNets: plan.exceptionNets, exceptionEndpoints: plan.exceptionEndpoints },
      };
    },
    async restore(ctx) {
      const state = await readIsolationState(ctx);
      if (!state) return;
      const plan = await buildPlan(ctx, state.type, state.plan);
      const effective = 'error' in plan ? state.plan : plan;
      const r = await applyPlan(ctx, effective);
      if (!r.ok) {
        // The state stays: the next start (or refresh) tries again; never release silently.
        ctx.log.error({ stderr: r.stderr }, 'isolation: re-applying on start failed');
        throw new Error(`re-applying isolation failed: nft: ${r.stderr}`);
      }
      if (!('error' in plan)) await writeIsolationState(ctx, { ...state, plan });
      startIsolationKeeper(ctx, refreshMs);
      ctx.log.info({ type: state.type }, 'isolation re-applied on start');
    },
  };
}

async function rollBack(ctx: IsolationCtx, previous: Awaited<ReturnType<typeof readIsolationState>>): Promise<void> {
  const script = previous ? buildIsolationRuleset(previous.plan) : buildReleaseScript();
  const r = await ctx.platform.nft.apply(script);
  if (!r.ok) ctx.log.error({ stderr: r.stderr }, 'isolation: roll back failed');
  await writeIsolationState(ctx, previous);
}

export const isolateExecutor = createIsolateExecutor();

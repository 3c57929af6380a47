/**
 * Isolation state and its application, shared by Isolate, Unisolate and the agent-start restore.
 * `<stateDir>/isolation.json` (0600) holds what was asked and the last resolved addresses, so a
 * restart re-applies isolation even when DNS is down at boot: a device is never silently released.
 */
import type { ExecutorContext } from '../types.js';
import { buildIsolationRuleset, buildSetRefresh, parseCidr, parseHostPort, type Endpoint, type IsolationPlan } from './ruleset.js';

export type IsolationCtx = Pick<ExecutorContext, 'platform' | 'stateDir' | 'settings' | 'serverUrls' | 'log'>;

export interface IsolationState {
  isolated: true;
  type: 'Full' | 'Selective';
  plan: IsolationPlan;
  appliedAt: number;
}

export const statePath = (ctx: Pick<IsolationCtx, 'stateDir'>) => `${ctx.stateDir}/isolation.json`;

export async function readIsolationState(ctx: IsolationCtx): Promise<IsolationState | undefined> {
  const text = await ctx.platform.fs.readText(statePath(ctx));
  return text ? (JSON.parse(text) as IsolationState) : undefined;
}

export async function writeIsolationState(ctx: IsolationCtx, state: IsolationState | undefined): Promise<void> {
  if (state === undefined) await ctx.platform.fs.remove(statePath(ctx));
  else await ctx.platform.fs.writeFileAtomic(statePath(ctx), JSON.stringify(state, null, 2), 0o600);
}

/** `https://cordon.example:8443` -> `{ host: 'cordon.example', port: 8443 }` (scheme default port); undefined when malformed. */
export function serverEndpointOf(url: string): { host: string; port: number } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const port = u.port !== '' ? u.port : ({ 'https:': '443', 'wss:': '443', 'http:': '80', 'ws:': '80' } as Record<string, string>)[u.protocol];
  return port === undefined ? undefined : parseHostPort(`${u.hostname}:${port}`);
}

/** Checks the settings isolation depends on; an error message, or the parsed pieces. */
export function parseIsolationSettings(ctx: IsolationCtx, type: 'Full' | 'Selective'):
  { error: string } | { server: { host: string; port: number }[]; nets: string[]; endpoints: { host: string; port: number }[] } {
  const urls = ctx.serverUrls();
  if (urls.length === 0) return { error: 'No Cordon server endpoint is known: isolating would cut the device off from the server' };
  const server = urls.map(serverEndpointOf);
  const badServer = urls.filter((_s, i) => !server[i]);
  if (badServer.length > 0) return { error: `Malformed server URL(s): ${badServer.join(', ')}` };
  const nets: string[] = [];
  const endpoints: { host: string; port: number }[] = [];
  if (type === 'Selective') {
    for (const e of ctx.settings.isolationExceptions ?? []) {
      const hp = parseHostPort(e);
      const cidr = hp ? undefined : parseCidr(e);
      if (hp) endpoints.push(hp);
      else if (cidr) nets.push(cidr);
      else return { error: `Malformed isolation exception "${e}" (expected a CIDR or host:port)` };
    }
  }
  return { server: server as { host: string; port: number }[], nets, endpoints };
}

async function resolveAll(ctx: IsolationCtx, list: { host: string; port: number }[]): Promise<Endpoint[]> {
  const out: Endpoint[] = [];
  for (const { host, port } of list) for (const addr of await ctx.platform.net.resolve(host)) out.push({ addr, port });
  return out;
}

/** Resolves names into a plan; `previous` supplies addresses for names that no longer resolve. */
export async function buildPlan(ctx: IsolationCtx, type: 'Full' | 'Selective', previous?: IsolationPlan): Promise<IsolationPlan | { error: string }> {
  const parsed = parseIsolationSettings(ctx, type);
  if ('error' in parsed) return parsed;
  let server = await resolveAll(ctx, parsed.server);
  if (server.length === 0 && previous) server = previous.server;
  if (server.length === 0) return { error: `Cannot resolve the Cordon server (${parsed.server.map((s) => s.host).join(', ')}): isolating would cut the device off from the server` };
  let resolvers = await ctx.platform.net.resolvers();
  if (resolvers.length === 0 && previous) resolvers = previous.resolvers;
  let exceptionEndpoints = await resolveAll(ctx, parsed.endpoints);
  if (exceptionEndpoints.length === 0 && previous) exceptionEndpoints = previous.exceptionEndpoints;
  return { type, server, resolvers, exceptionNets: parsed.nets, exceptionEndpoints };
}

export async function applyPlan(ctx: IsolationCtx, plan: IsolationPlan): Promise<{ ok: boolean; stderr: string }> {
  return ctx.platform.nft.apply(buildIsolationRuleset(plan));
}

/** Re-resolves names and rewrites the sets in place when the addresses changed. */
export async function refreshIsolation(ctx: IsolationCtx): Promise<'not-isolated' | 'unchanged' | 'updated' | 'failed'> {
  const state = await readIsolationState(ctx);
  if (!state) return 'not-isolated';
  const plan = await buildPlan(ctx, state.type, state.plan);
  if ('error' in plan) return 'failed';
  const same = JSON.stringify(plan) === JSON.stringify(state.plan);
  if (same) return 'unchanged';
  const r = await ctx.platform.nft.apply(buildSetRefresh(plan));
  if (!r.ok) {
    ctx.log.warn({ stderr: r.stderr }, 'isolation: refreshing the server addresses failed');
    return 'failed';
  }
  await writeIsolationState(ctx, { ...state, plan });
  return 'updated';
}

let keeper: NodeJS.Timeout | undefined;

/** Keeps the resolved sets current while isolated (unref'd: never holds the agent open). */
export function startIsolationKeeper(ctx: IsolationCtx, intervalMs: number): void {
  stopIsolationKeeper();
  if (intervalMs <= 0) return;
  keeper = setInterval(() => {
    refreshIsolation(ctx).then(
      (r) => r === 'not-isolated' && stopIsolationKeeper(),
      (e: unknown) => ctx.log.warn({ err: String(e) }, 'isolation: refresh failed'),
    );
  }, intervalMs);
  keeper.unref();
}

export function stopIsolationKeeper(): void {
  if (keeper) clearInterval(keeper);
  keeper = undefined;
}

export const ISOLATED_NOTICE = {
  title: 'This device has been isolated',
  body: 'Your security team isolated this device from the network (Cordon). Only the management server is reachable until it is released.',
};
export const RELEASED_NOTICE = {
  title: 'This device has been released from isolation',
  body: 'Your security team released this device (Cordon). Network access is restored.',
};

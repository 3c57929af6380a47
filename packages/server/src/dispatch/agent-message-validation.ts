/**
 * Checks what a device sends before the hub acts on it, the way the API checks request bodies:
 * the frame must be a request object (`{ id, method, params }`), and the params of each method
 * must match its TypeBox schema in @cordon/protocol (AGENT_REQUEST_PARAMS: types, length caps,
 * bounded arrays), nested no deeper than MAX_AGENT_MESSAGE_DEPTH. A refusal names the first
 * offending field and changes nothing.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { Static } from '@sinclair/typebox';
import { AGENT_METHODS, AGENT_REQUEST_PARAMS, MAX_AGENT_MESSAGE_DEPTH, RpcRequestSchema } from '@cordon/protocol';
import { AgentRequestError } from './agent-channel.js';

/** The agent -> server requests: keys of AGENT_METHODS that have a params schema. */
export type AgentRequestKey = keyof typeof AGENT_REQUEST_PARAMS;
/** What a request's params are once their schema accepted them. */
export type AgentRequestParams<K extends AgentRequestKey> = Static<(typeof AGENT_REQUEST_PARAMS)[K]>;

type ParamsChecks = { readonly [K in AgentRequestKey]: TypeCheck<(typeof AGENT_REQUEST_PARAMS)[K]> };

const REQUEST_KEYS = Object.keys(AGENT_REQUEST_PARAMS) as AgentRequestKey[];
const PARAMS_CHECKS = Object.fromEntries(REQUEST_KEYS.map((key) => [key, TypeCompiler.Compile(AGENT_REQUEST_PARAMS[key])])) as unknown as ParamsChecks;
const KEY_OF_METHOD: ReadonlyMap<string, AgentRequestKey> = new Map(REQUEST_KEYS.map((key) => [AGENT_METHODS[key].method, key]));
const REQUEST_CHECK = TypeCompiler.Compile(RpcRequestSchema);

/** The AGENT_METHODS key of a request method name; undefined for anything else. */
export function agentRequestKey(method: string): AgentRequestKey | undefined {
  return KEY_OF_METHOD.get(method);
}

export interface AgentRequestFrame {
  id: number | string | undefined;
  method: string;
  params: unknown;
}

/** Parses one frame or RPC body; undefined when it is not JSON or not a request object. */
export function parseAgentRequest(text: string): AgentRequestFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Only the envelope here: params are checked per method (checkAgentParams), depth included.
  if (!REQUEST_CHECK.Check(value)) return undefined;
  return { id: value.id, method: value.method, params: value.params };
}

/**
 * Throws `InvalidRequestBody` unless `params` are valid for `method`. Unknown methods pass (the hub
 * answers them `MethodNotFound`); absent params count as `{}`.
 */
export function checkAgentParams(method: string, params: unknown): void {
  const key = agentRequestKey(method);
  if (key) parseAgentParams(key, params);
}

/**
 * The params of request `key`, typed by its schema once the schema accepted them (absent params
 * count as `{}`); throws `InvalidRequestBody` naming the first offending field otherwise.
 */
export function parseAgentParams<K extends AgentRequestKey>(key: K, params: unknown): AgentRequestParams<K> {
  const check: TypeCheck<(typeof AGENT_REQUEST_PARAMS)[K]> = PARAMS_CHECKS[key];
  const value: unknown = params ?? {};
  if (exceedsDepth(value, MAX_AGENT_MESSAGE_DEPTH)) throw new AgentRequestError('InvalidRequestBody', `params nest deeper than ${MAX_AGENT_MESSAGE_DEPTH} levels`);
  if (check.Check(value)) return value;
  const first = check.Errors(value).First();
  const where = first?.path ? `params${first.path.replaceAll('/', '.')}` : 'params';
  throw new AgentRequestError('InvalidRequestBody', `${where}: ${first?.message ?? 'invalid'}`);
}

/** True when objects/arrays nest deeper than `max`; iterative, so no input can exhaust the stack. */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

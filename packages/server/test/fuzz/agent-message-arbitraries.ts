/**
 * Generators of what a signed device may send, shared by the in-process fuzz
 * (agent-messages.fuzz.test.ts) and the one against a real server process
 * (e2e/agent-hostile-input.test.ts). Only fast-check and the protocol: no server code, so the e2e
 * side stays on the wire.
 *
 * Action ids are placeholders (`<own>`, `<neighbour>`, `<other-tenant>`) each test replaces with
 * ids it seeded.
 */
import fc from 'fast-check';
import { AGENT_METHODS, REFUSAL_CODES } from '@cordon/protocol';

const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '\u0000', '\uD800', '__proto__', 'constructor', "' OR '1'='1", '"; DROP TABLE machines; --') },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 6000 }).map((n) => 'A'.repeat(n)) },
  );

/** Values nested `depth` levels deep (arrays or objects), far past any schema's reach. */
export const deeplyNested = (depth: number, kind: 'array' | 'object'): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

/** JSON that is valid but not an object: what crashed the WebSocket listener. */
export const NON_OBJECT_JSON = ['null', '0', '-1', '1e308', '"agent/hello"', '""', 'true', 'false', '[]', '[1,2,3]', '[{"id":1,"method":"agent/heartbeat","params":{}}]'] as const;

/** Any JSON value, including the hostile shapes: scalars, arrays, deep nesting, oversized strings. */
export const anyValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: text() },
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.constantFrom(null, 0, -1, 1e308, true, false, [], {}) },
    { weight: 1, arbitrary: fc.constantFrom(deeplyNested(200, 'array'), deeplyNested(200, 'object'), deeplyNested(33, 'object')) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(200 * 1024), ['y'.repeat(1024)].concat(Array.from({ length: 100 }, (_, i) => String(i)))) },
  );

export const actionIdPlaceholder = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('<own>') },
    { weight: 2, arbitrary: fc.constant('<neighbour>') },
    { weight: 2, arbitrary: fc.constant('<other-tenant>') },
    { weight: 1, arbitrary: fc.oneof(fc.uuid().map(String), text(), anyValue()) },
  );

const deviceInfo = () =>
  fc.record(
    {
      computerDnsName: anyValue(),
      osPlatform: anyValue(),
      osVersion: anyValue(),
      osArchitecture: anyValue(),
      version: anyValue(),
      agentVersion: anyValue(),
      lastIpAddress: anyValue(),
      ipAddresses: fc.oneof(anyValue(), fc.array(fc.record({ ipAddress: anyValue(), macAddress: anyValue(), operationalStatus: anyValue(), type: anyValue() }), { maxLength: 3 })),
    },
    { requiredKeys: [] },
  );

/** Params for any method: action-shaped, hello-shaped, or any value at all. */
export const agentParams = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(
        {
          actionId: actionIdPlaceholder(),
          outcome: fc.option(fc.record({ status: fc.constantFrom('Succeeded', 'Failed', 'Cancelled', 'succeeded', ''), errorMessage: fc.option(anyValue()), errorHResult: fc.option(anyValue()), result: fc.option(anyValue()) }, { requiredKeys: [] })),
          update: fc.option(fc.oneof(anyValue(), fc.record({ commands: fc.option(fc.oneof(anyValue(), fc.array(anyValue(), { maxLength: 4 }))), result: fc.option(anyValue()) }, { requiredKeys: [] }))),
          code: fc.option(fc.constantFrom(...REFUSAL_CODES, 'Nope')),
          message: fc.option(anyValue()),
        },
        { requiredKeys: ['actionId'] },
      ),
    },
    { weight: 2, arbitrary: fc.tuple(fc.record({ protocolVersion: fc.oneof(fc.constant(1), fc.integer(), anyValue()), capabilities: fc.option(fc.oneof(anyValue(), fc.array(anyValue(), { maxLength: 5 }))) }, { requiredKeys: [] }), deviceInfo()).map(([a, b]) => ({ ...a, ...b })) },
    { weight: 2, arbitrary: anyValue() },
  );

export const agentMethod = (): fc.Arbitrary<string> =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...Object.values(AGENT_METHODS).map((m) => m.method)) }, { weight: 1, arbitrary: text() });

/** One frame/body as text: a request (id, method, params), or JSON that is no request (also a request object with an impossible method name), or no JSON. */
export const agentFrame = (): fc.Arbitrary<{ kind: 'request' | 'not-a-request' | 'not-json'; text: (resolve: (v: unknown) => unknown) => string }> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.nat(1_000_000), agentMethod(), agentParams()).map(([id, method, params]) => ({
        // A method name outside 1..128 characters makes the envelope itself invalid.
        kind: method.length >= 1 && method.length <= 128 ? ('request' as const) : ('not-a-request' as const),
        text: (resolve: (v: unknown) => unknown) => JSON.stringify({ id, method, params: resolve(params) }),
      })),
    },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom(...NON_OBJECT_JSON), anyValue().map((v) => JSON.stringify(Array.isArray(v) || typeof v !== 'object' || v === null ? v : [v]))).map((t) => ({ kind: 'not-a-request' as const, text: () => t })) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('{', '{"id":1,"method":', '\u0000', '', 'nul'), text()).filter((t) => !isJson(t)).map((t) => ({ kind: 'not-json' as const, text: () => t })) },
  );

function isJson(t: string): boolean {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

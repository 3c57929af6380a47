import { describe, expect, it } from 'vitest';
import { canonicalActionText, canonicalJson, canonicalRequestText } from './action-signature.js';

const fields = { id: 'a', machineId: 'm', type: 'Isolate', parameters: { b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }, expiresAt: '2026-01-01T00:00:00.0000000Z', runTimeoutMs: 5, createdAt: '2025-12-29T00:00:00.0000000Z' };

describe('canonicalActionText', () => {
  it('should sort keys at every depth and prefix the context', () => {
    expect(canonicalActionText(fields)).toBe(
      'cordon-action-v1\n{"createdAt":"2025-12-29T00:00:00.0000000Z","expiresAt":"2026-01-01T00:00:00.0000000Z","id":"a","machineId":"m","parameters":{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1},"runTimeoutMs":5,"type":"Isolate"}',
    );
  });

  it('should give the same text whatever the key order of the input', () => {
    const reordered = { runTimeoutMs: 5, parameters: { a: { c: null, d: [2, { y: 2, z: 1 }] }, b: 1 }, type: 'Isolate', expiresAt: fields.expiresAt, machineId: 'm', id: 'a', createdAt: fields.createdAt };
    expect(canonicalActionText(reordered)).toBe(canonicalActionText(fields));
  });

  it('should change when any signed field changes', () => {
    const base = canonicalActionText(fields);
    for (const patch of [{ id: 'b' }, { machineId: 'n' }, { type: 'Unisolate' }, { parameters: { b: 2 } }, { expiresAt: 'x' }, { runTimeoutMs: 6 }, { createdAt: 'y' }]) {
      expect(canonicalActionText({ ...fields, ...patch })).not.toBe(base);
    }
  });
});

describe('canonicalJson', () => {
  it('should refuse values JSON cannot round-trip', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});

describe('canonicalRequestText', () => {
  it('should join the request fields one per line with an uppercased method', () => {
    expect(canonicalRequestText({ method: 'get', path: '/p', machineId: 'm', timestamp: '1', nonce: 'n', bodySha256: 'h' })).toBe('cordon-agent-request-v1\nGET\n/p\nm\n1\nn\nh');
  });
});

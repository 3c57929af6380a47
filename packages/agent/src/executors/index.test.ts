import { describe, expect, it } from 'vitest';
import { ACTION_CATALOG, ACTION_TYPES } from '@cordon/protocol';
import { createExecutorRegistry } from './index.js';

describe('createExecutorRegistry', () => {
  it('should run each catalog type with an executor of that type needing the catalog capability', () => {
    const registry = createExecutorRegistry();
    expect(Object.keys(registry).sort()).toEqual([...ACTION_TYPES].sort());
    for (const type of ACTION_TYPES) {
      expect({ type: registry[type].type, capability: registry[type].capability }).toEqual({ type, capability: ACTION_CATALOG[type].capability });
    }
  });
});

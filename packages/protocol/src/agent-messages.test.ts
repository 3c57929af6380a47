import { describe, expect, it } from 'vitest';
import { AGENT_METHODS, AGENT_REQUEST_PARAMS } from './agent-messages.js';

describe('AGENT_REQUEST_PARAMS', () => {
  it('should have a params schema for exactly the agent -> server methods', () => {
    const requests = Object.entries(AGENT_METHODS).filter(([, m]) => m.direction === 'agentToServer').map(([key]) => key);
    expect(Object.keys(AGENT_REQUEST_PARAMS).sort()).toEqual(requests.sort());
  });
});

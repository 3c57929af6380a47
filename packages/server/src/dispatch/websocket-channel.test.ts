import { createServer, type IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AGENT_PATHS } from '@cordon/protocol';
import type { AgentChannelHandler } from './agent-channel.js';
import type { AuthOutcome, DeviceAuthenticator } from './device-auth.js';
import { attachWebSocketChannel } from './websocket-channel.js';

describe(attachWebSocketChannel.name, () => {
  it('should survive a client that resets its connection while the upgrade is being authenticated', async () => {
    const server = createServer();
    let settle!: (outcome: AuthOutcome) => void;
    const auth = { verify: () => new Promise<AuthOutcome>((resolve) => (settle = resolve)) } as unknown as DeviceAuthenticator;
    const hub: AgentChannelHandler = { attach: () => {}, detach: () => {}, handle: async () => ({}) };
    const errors: unknown[] = [];
    const channel = attachWebSocketChannel(server, { auth, hub, log: { info: () => {}, warn: () => {}, error: (obj) => errors.push(obj) } });
    const socket = new Duplex({ read() {}, write(_chunk, _enc, done) { done(); } });
    const req = { url: AGENT_PATHS.websocket, headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;

    server.emit('upgrade', req, socket, Buffer.alloc(0));
    // An 'error' event with no listener would throw here, as it would in the event loop.
    expect(() => socket.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).not.toThrow();
    expect(socket.destroyed).toBe(true);
    settle({ ok: false, reason: 'too late' });
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual([]);
    channel.close();
  });
});

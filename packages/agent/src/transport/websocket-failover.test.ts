/**
 * Failing over keeps the pin: a node that presents another certificate than the one in the
 * onboarding package is passed over like a dead one, for every URL of the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { pinnedTlsOptions } from './tls-pin.js';
import type { AgentTransport } from './types.js';
import { createWebSocketTransport } from './websocket-transport.js';

function selfSigned(dir: string, name: string): { cert: string; key: string } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-days', '1', '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return { cert: readFileSync(join(dir, `${name}.pem`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') };
}

describe('WebSocket transport over several server URLs', () => {
  let dir: string;
  const servers: Server[] = [];
  const upgrades: string[] = [];
  let transport: AgentTransport | undefined;
  let pinned: { cert: string; key: string };
  let urls: { impostor: string; node: string };

  const serve = async (name: string, tls: { cert: string; key: string }): Promise<string> => {
    const server = createServer(tls);
    const wss = new WebSocketServer({ server });
    wss.on('connection', () => upgrades.push(name));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cordon-ws-failover-'));
    pinned = selfSigned(dir, 'pinned');
    urls = { impostor: await serve('impostor', selfSigned(dir, 'impostor')), node: await serve('node', pinned) };
  });
  afterAll(async () => {
    await transport?.stop();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('should pass over a URL whose server presents another certificate and connect to the next', async () => {
    const fingerprint = new X509Certificate(pinned.cert).fingerprint256.replaceAll(':', '').toLowerCase();
    const logged: string[] = [];
    transport = createWebSocketTransport({
      serverUrls: [urls.impostor, urls.node],
      machineId: 'm1',
      key: generateKeyPairSync('ed25519').privateKey,
      tls: pinnedTlsOptions(pinned.cert, fingerprint),
      backoff: { minMs: 50, maxMs: 200 },
      log: (m) => logged.push(m),
    });
    const connected = new Promise<void>((resolve) => transport!.start({ onConnected: resolve, onMessage: () => {}, onDisconnected: () => {} }));
    await connected;
    expect(transport.serverUrl()).toBe(urls.node);
    expect(upgrades).toEqual(['node']);
    // Refused at the handshake (the impostor's certificate is neither pinned nor trusted), never upgraded.
    expect(logged[0]).toMatch(new RegExp(`^websocket to ${urls.impostor.replaceAll('.', '\\.')} .*certificate.*; reconnecting to ${urls.node.replaceAll('.', '\\.')} in 0 ms$`));
  });
});

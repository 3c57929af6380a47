/**
 * A tiny scripted HTTP server (node:http on port 0) for api-client and CLI tests: each request is
 * recorded and answered by the test's handler. Node-only; never imported by the client itself.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/api/machineactions?%24top=2`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeReply {
  status?: number;
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (request: RecordedRequest, server: FakeServer) => FakeReply | Promise<FakeReply>;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      Promise.resolve(handler(recorded, fake)).then(
        (reply) => {
          const raw = reply.body;
          const isJson = raw !== undefined && typeof raw !== 'string' && !Buffer.isBuffer(raw);
          const payload = raw === undefined ? '' : isJson ? JSON.stringify(raw) : (raw as string | Buffer);
          res.writeHead(reply.status ?? 200, { ...(isJson ? { 'content-type': 'application/json' } : {}), ...reply.headers });
          res.end(payload);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return fake;
}

/** The MDE error envelope (mde-api.md §2.2). */
export function mdeError(status: number, code: string, message: string, target = 'req-1'): FakeReply {
  return { status, body: { error: { code, message, target } } };
}

export function tokenReply(token: string, expiresIn = 3599): FakeReply {
  return { body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: 0, access_token: token } };
}

/** A MachineAction wire entity with overrides (fields as in protocol's MachineAction). */
export function makeWireAction(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    type: 'Isolate',
    title: null,
    requestor: 'cli-app',
    requestorComment: 'contain',
    status: 'Pending',
    machineId: 'm1',
    computerDnsName: 'host1',
    creationDateTimeUtc: '2026-11-21T10:00:00.0000000Z',
    lastUpdateDateTimeUtc: '2026-11-21T10:00:00.0000000Z',
    lastUpdateTimeUtc: '2026-11-21T10:00:00.0000000Z',
    cancellationRequestor: null,
    cancellationComment: null,
    cancellationDateTimeUtc: null,
    errorHResult: 0,
    scope: 'Full',
    externalId: null,
    requestSource: 'PublicApi',
    relatedFileInfo: null,
    commands: [],
    troubleshootInfo: null,
    expirationDateTimeUtc: '2026-11-24T10:00:00.0000000Z',
    errorMessage: null,
    result: null,
    ...overrides,
  };
}

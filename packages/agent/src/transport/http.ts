/** One HTTP(S) request with pinned TLS, a timeout and an abort signal (node:http, no fetch: undici cannot pin). */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PinnedTls } from './tls-pin.js';
import { TransportError } from './types.js';

export interface HttpResponse {
  status: number;
  body: string;
}

export function httpCall(url: string, options: { method: string; headers?: Record<string, string>; body?: string; tls?: PinnedTls | undefined; timeoutMs?: number; signal?: AbortSignal }): Promise<HttpResponse> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: options.method,
        headers: { ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        ...(u.protocol === 'https:' && options.tls ? { ca: options.tls.ca, checkServerIdentity: options.tls.checkServerIdentity } : {}),
        timeout: options.timeoutMs ?? 30_000,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(new TransportError(err.message)));
      },
    );
    req.on('timeout', () => req.destroy(new TransportError('request timed out')));
    req.on('error', (err) => reject(err instanceof TransportError ? err : new TransportError(err.message)));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/**
 * ServerFiles over HTTP(S): library downloads for PutFile/RunScript and result uploads
 * for packages, transcripts and GetFile, with the device's request signature and the pinned TLS of
 * the transport. Both directions stream (node:stream pipeline): memory stays flat for 3 GB files.
 *
 * - Downloads are written to `<dest>.part`, hashed on the way, and renamed into place only when
 *   the hash matches the one the server sent; anything else leaves no file behind.
 * - Uploads are hashed first (unless the caller knows the digest already), then sent signed with
 *   that hash as body hash (the server refuses content that does not match). The file must not
 *   change meanwhile: GetFile sends a snapshot (PlatformFs.snapshotFile). A body that comes up
 *   shorter than announced aborts the request at once rather than leaving the server waiting for
 *   bytes that never come; a checksum refusal is retried once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KeyObject } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AGENT_AUTH_HEADERS, AGENT_FILE_HEADERS, agentLibraryPath, agentResultPath, canonicalRequestText, type AgentResultStored } from '@cordon/protocol';
import { signedHeaders, signText } from '../crypto.js';
import type { ServerFiles, UploadResultOptions } from '../executors/types.js';
import type { PinnedTls } from './tls-pin.js';

export interface ServerFilesOptions {
  /** Asked at each transfer: the node the transport is on now. */
  serverUrl: () => string;
  machineId: string;
  key: KeyObject;
  tls: PinnedTls | undefined;
  /** A transfer with no bytes moving for this long is aborted (ms). */
  idleTimeoutMs?: number;
}

/** A transfer the server refused (its MDE-style error code and message) or that broke. */
export class FileTransferError extends Error {
  override name = 'FileTransferError';
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** ServerFiles bound to one action (results are uploaded for it). */
export function createServerFiles(options: ServerFilesOptions, actionId: string | undefined): ServerFiles {
  return {
    downloadLibraryFile: (fileName, destPath, signal) => downloadLibraryFile(options, fileName, destPath, signal),
    async uploadResult(srcPath, upload) {
      if (!actionId) throw new FileTransferError('results can only be uploaded while running an action');
      try {
        return await uploadOnce(options, actionId, srcPath, upload);
      } catch (err) {
        if (!(err instanceof FileTransferError && err.status === 400 && err.code === 'InvalidRequestBody')) throw err;
        return uploadOnce(options, actionId, srcPath, upload); // the server saw other bytes than were hashed: once more
      }
    },
  };
}

async function downloadLibraryFile(options: ServerFilesOptions, fileName: string, destPath: string, signal: AbortSignal): Promise<{ sha256: string; size: number }> {
  const path = agentLibraryPath(encodeURIComponent(fileName));
  const res = await send(options, 'GET', path, signedHeaders(options.key, options.machineId, 'GET', path), undefined, signal);
  if (res.statusCode !== 200) throw await refusal(res, `library file ${fileName}`);
  const expected = String(res.headers[AGENT_FILE_HEADERS.contentSha256] ?? '');
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const part = `${destPath}.part`;
  try {
    await pipeline(res, meter, createWriteStream(part, { mode: 0o600 }), { signal });
    const sha256 = hash.digest('hex');
    if (sha256 !== expected) throw new FileTransferError(`library file ${fileName} arrived with SHA-256 ${sha256}, the server announced ${expected || 'none'}`);
    await rename(part, destPath);
    return { sha256, size };
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
}

async function uploadOnce(options: ServerFilesOptions, actionId: string, srcPath: string, upload: UploadResultOptions): Promise<AgentResultStored> {
  const { name, contentType, signal } = upload;
  const { sha256, size } = upload.digest ?? (await hashFile(srcPath, signal));
  const path = agentResultPath(actionId, encodeURIComponent(name));
  const headers = {
    // The signature covers the content through its hash, computed above (see canonicalRequestText).
    ...signedWithBodyHash(options, 'POST', path, sha256),
    'content-type': 'application/octet-stream',
    'content-length': String(size),
    [AGENT_FILE_HEADERS.contentSha256]: sha256,
    [AGENT_FILE_HEADERS.resultType]: contentType,
    ...(upload.commandIndex !== undefined ? { [AGENT_FILE_HEADERS.commandIndex]: String(upload.commandIndex) } : {}),
  };
  const body = Readable.from(exactly(size === 0 ? [] : createReadStream(srcPath, { start: 0, end: size - 1 }), size, srcPath));
  const res = await send(options, 'POST', path, headers, body, signal);
  if (res.statusCode !== 201) throw await refusal(res, `upload of ${name}`);
  const stored = JSON.parse(await text(res)) as AgentResultStored;
  if (stored.sha256 !== sha256 || stored.size !== size) throw new FileTransferError(`the server stored ${stored.size} bytes with SHA-256 ${stored.sha256}, not what was sent`);
  return stored;
}

/**
 * Device signature headers whose body hash is `bodySha256`: a streamed body is not in memory for
 * crypto.ts's signedHeaders to hash, so the same canonical text is signed with the precomputed hash.
 */
function signedWithBodyHash(options: ServerFilesOptions, method: string, path: string, bodySha256: string): Record<string, string> {
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const signature = signText(options.key, canonicalRequestText({ method, path, machineId: options.machineId, timestamp, nonce, bodySha256 }));
  return {
    [AGENT_AUTH_HEADERS.machineId]: options.machineId,
    [AGENT_AUTH_HEADERS.timestamp]: timestamp,
    [AGENT_AUTH_HEADERS.nonce]: nonce,
    [AGENT_AUTH_HEADERS.signature]: signature,
  };
}

/** Passes `source` through, failing when it ends before `size` bytes (the file shrank since it was hashed). */
async function* exactly(source: AsyncIterable<Buffer> | Buffer[], size: number, srcPath: string): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const chunk of source) {
    sent += chunk.length;
    yield chunk;
  }
  if (sent !== size) throw new FileTransferError(`${srcPath} changed while it was uploaded: ${sent} of ${size} bytes could be read`);
}

async function hashFile(srcPath: string, signal: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(srcPath, { signal }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

function send(options: ServerFilesOptions, method: string, path: string, headers: Record<string, string>, body: Readable | undefined, signal: AbortSignal): Promise<IncomingMessage> {
  const url = new URL(path, options.serverUrl());
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      headers,
      signal,
      timeout: options.idleTimeoutMs ?? 60_000,
      ...(url.protocol === 'https:' && options.tls ? { ca: options.tls.ca, checkServerIdentity: options.tls.checkServerIdentity } : {}),
    });
    req.on('timeout', () => req.destroy(new FileTransferError(`${method} ${path}: no progress for ${options.idleTimeoutMs ?? 60_000} ms`)));
    req.on('response', resolve);
    req.on('error', reject);
    if (!body) {
      req.end();
      return;
    }
    // A body that fails to read is the cause, not the hang-up it leads to.
    body.once('error', reject);
    // The server may answer (and close) before the whole body is sent: its answer is what counts.
    pipeline(body, req).catch(() => {});
  });
}

async function text(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function refusal(res: IncomingMessage, what: string): Promise<FileTransferError> {
  const raw = await text(res).catch(() => '');
  let code: string | undefined;
  let message = raw.slice(0, 300);
  try {
    const body = JSON.parse(raw) as { error?: { code?: string; message?: string } };
    code = body.error?.code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON: keep the text
  }
  return new FileTransferError(`${what}: the server answered HTTP ${res.statusCode}${code ? ` ${code}` : ''}: ${message}`, res.statusCode, code);
}

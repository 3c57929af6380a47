/**
 * ServerFiles against a small local HTTP server that checks what a Cordon server checks (device
 * signature over the declared content hash, the hash of the bytes) and can misbehave on demand.
 * The real server end to end: e2e/forensics.test.ts.
 */
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_AUTH_HEADERS, AGENT_FILE_HEADERS, canonicalRequestText } from '@cordon/protocol';
import { createServerFiles, FileTransferError } from './server-files.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const MACHINE = 'a'.repeat(40);
const ACTION = '00000000-0000-4000-8000-00000000000a';

let server: Server;
let url: string;
let dir: string;
/** What the fake server does with the next requests. */
let behaviour: { library: Record<string, { body: Buffer; announced?: string }>; mismatchUploads: number; uploads: { path: string; body: Buffer; type: string; commandIndex: string | undefined }[] };

function verified(req: IncomingMessage, bodySha256: string): boolean {
  const h = (n: string) => String(req.headers[n] ?? '');
  const text = canonicalRequestText({ method: req.method!, path: req.url!, machineId: h(AGENT_AUTH_HEADERS.machineId), timestamp: h(AGENT_AUTH_HEADERS.timestamp), nonce: h(AGENT_AUTH_HEADERS.nonce), bodySha256 });
  return h(AGENT_AUTH_HEADERS.machineId) === MACHINE && verify(null, Buffer.from(text), publicKey, Buffer.from(h(AGENT_AUTH_HEADERS.signature), 'base64'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cordon-files-'));
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return; // the client gave up mid-body
    }
    const body = Buffer.concat(chunks);
    const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (req.method === 'GET' && req.url!.startsWith('/agent/v1/library/')) {
      if (!verified(req, sha(''))) return answer(401, { error: { code: 'Unauthorized', message: 'bad signature' } });
      const file = behaviour.library[decodeURIComponent(req.url!.slice('/agent/v1/library/'.length))];
      if (!file) return answer(404, { error: { code: 'ResourceNotFound', message: 'Library file was not found' } });
      res.writeHead(200, { [AGENT_FILE_HEADERS.contentSha256]: file.announced ?? sha(file.body) }).end(file.body);
      return;
    }
    if (req.method === 'POST' && req.url!.startsWith(`/agent/v1/actions/${ACTION}/results/`)) {
      const claimed = String(req.headers[AGENT_FILE_HEADERS.contentSha256]);
      if (!verified(req, claimed)) return answer(401, { error: { code: 'Unauthorized', message: 'bad signature' } });
      if (behaviour.mismatchUploads > 0 || sha(body) !== claimed) {
        behaviour.mismatchUploads--;
        return answer(400, { error: { code: 'InvalidRequestBody', message: 'checksum mismatch' } });
      }
      behaviour.uploads.push({ path: req.url!, body, type: String(req.headers[AGENT_FILE_HEADERS.resultType]), commandIndex: req.headers[AGENT_FILE_HEADERS.commandIndex] as string | undefined });
      return answer(201, { blobId: 'b'.repeat(32), size: body.length, sha256: claimed });
    }
    answer(404, { error: { code: 'NotFound', message: 'no route' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  behaviour = { library: {}, mismatchUploads: 0, uploads: [] };
});

const files = (actionId: string | undefined = ACTION) => createServerFiles({ serverUrl: () => url, machineId: MACHINE, key: privateKey, tls: undefined }, actionId);
const noAction = () => createServerFiles({ serverUrl: () => url, machineId: MACHINE, key: privateKey, tls: undefined }, undefined);
const signal = () => new AbortController().signal;

describe('downloadLibraryFile', () => {
  it('should stream the file into place and return its verified sha256 and size', async () => {
    behaviour.library['tool.sh'] = { body: Buffer.from('#!/bin/sh\necho tool\n') };
    const dest = join(dir, 'tool.sh');
    expect(await files().downloadLibraryFile('tool.sh', dest, signal())).toEqual({ sha256: sha('#!/bin/sh\necho tool\n'), size: 20 });
    expect(await readFile(dest, 'utf8')).toBe('#!/bin/sh\necho tool\n');
  });

  it('should leave no file behind when the bytes do not match the announced hash', async () => {
    behaviour.library['bad.sh'] = { body: Buffer.from('tampered'), announced: sha('original') };
    const dest = join(dir, 'bad.sh');
    await expect(files().downloadLibraryFile('bad.sh', dest, signal())).rejects.toThrow(`library file bad.sh arrived with SHA-256 ${sha('tampered')}, the server announced ${sha('original')}`);
    expect((await readdir(dir)).filter((f) => f.startsWith('bad.sh'))).toEqual([]);
  });

  it("should report the server's refusal with its code and message", async () => {
    const err = await files().downloadLibraryFile('missing.sh', join(dir, 'missing.sh'), signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileTransferError);
    expect(err).toMatchObject({ status: 404, code: 'ResourceNotFound', message: 'library file missing.sh: the server answered HTTP 404 ResourceNotFound: Library file was not found' });
  });
});

describe('uploadResult', () => {
  it('should stream the file signed with its sha256 and return what the server stored', async () => {
    const src = join(dir, 'package.zip');
    const content = Buffer.alloc(3 * 1024 * 1024 + 5, 1);
    await writeFile(src, content);
    const stored = await files().uploadResult(src, { name: 'Investigation Package.zip', contentType: 'application/zip', signal: signal() });
    expect(stored).toEqual({ blobId: 'b'.repeat(32), size: content.length, sha256: sha(content) });
    expect(behaviour.uploads).toHaveLength(1);
    expect(behaviour.uploads[0]).toMatchObject({ path: `/agent/v1/actions/${ACTION}/results/Investigation%20Package.zip`, type: 'application/zip' });
    expect(behaviour.uploads[0]!.body.equals(content)).toBe(true);
  });

  it('should send a known digest without hashing again, with the command index', async () => {
    const src = join(dir, 'snapshot');
    await writeFile(src, 'evidence\n');
    const stored = await files().uploadResult(src, { name: 'evidence', contentType: 'application/octet-stream', commandIndex: 3, digest: { size: 9, sha256: sha('evidence\n') }, signal: signal() });
    expect(stored).toMatchObject({ size: 9, sha256: sha('evidence\n') });
    expect(behaviour.uploads.map((u) => [u.body.toString(), u.commandIndex])).toEqual([['evidence\n', '3']]);
  });

  it('should fail at once, not wait for the idle timeout, when the file is shorter than announced', async () => {
    const src = join(dir, 'shrunk');
    await writeFile(src, 'short');
    const upload = files().uploadResult(src, { name: 'shrunk', contentType: 'application/octet-stream', digest: { size: 4096, sha256: sha('x') }, signal: signal() });
    await expect(upload).rejects.toThrow(`${src} changed while it was uploaded: 5 of 4096 bytes could be read`);
    expect(behaviour.uploads).toEqual([]);
  });

  it('should upload an empty file', async () => {
    const src = join(dir, 'empty');
    await writeFile(src, '');
    expect(await files().uploadResult(src, { name: 'empty', contentType: 'application/octet-stream', signal: signal() })).toMatchObject({ size: 0, sha256: sha('') });
  });

  it('should retry once when the server saw other bytes than were hashed, and then give up', async () => {
    const src = join(dir, 'log');
    await writeFile(src, 'line\n');
    behaviour.mismatchUploads = 1;
    expect(await files().uploadResult(src, { name: 'log', contentType: 'application/octet-stream', signal: signal() })).toMatchObject({ size: 5 });
    behaviour.mismatchUploads = 2;
    await expect(files().uploadResult(src, { name: 'log', contentType: 'application/octet-stream', signal: signal() })).rejects.toMatchObject({ status: 400, code: 'InvalidRequestBody' });
  });

  it('should refuse to upload outside an action', async () => {
    await expect(noAction().uploadResult(join(dir, 'log'), { name: 'x', contentType: 'application/zip', signal: signal() })).rejects.toThrow('results can only be uploaded while running an action');
  });

  it('should stop when the action is aborted', async () => {
    const src = join(dir, 'abort');
    await writeFile(src, 'x');
    const ctl = new AbortController();
    ctl.abort(new Error('cancelled'));
    await expect(files().uploadResult(src, { name: 'x', contentType: 'application/zip', signal: ctl.signal })).rejects.toThrow();
    expect(behaviour.uploads).toEqual([]);
  });
});

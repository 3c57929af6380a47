/**
 * Test support for the console: a manager on the real Linux platform (the commands run for real,
 * against the test's temp dirs and child processes), a transport that records live/output and
 * live/done, and signed live/command messages.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { AGENT_METHODS, AGENT_REQUEST_PARAMS, canonicalLiveCommandText, DEFAULT_AGENT_SETTINGS, type LiveCommandFields, type LiveCommandParams, type LiveDoneParams } from '@cordon/protocol';
import { signText } from '../crypto.js';
import type { ExecutorContext, ServerFiles, UploadResultOptions } from '../executors/types.js';
import type { Platform } from '../platform/types.js';
import { LiveConsoleManager } from './session-manager.js';

export const MACHINE = 'b'.repeat(40);
export const SESSION = 'session-1';
const serverKey = generateKeyPairSync('ed25519');
export const otherKey = generateKeyPairSync('ed25519');

export interface ConsoleHarness {
  manager: LiveConsoleManager;
  outputs: { commandId: number; seq: number; text: string }[];
  dones: LiveDoneParams[];
  /** Messages the server's schema (AGENT_REQUEST_PARAMS) would refuse: every test expects none. */
  invalid: string[];
  /** Sends a signed command and resolves with its live/done. */
  run(command: LiveCommandFields['command'], argv?: string[], overrides?: Partial<LiveCommandParams>): Promise<LiveDoneParams>;
  /** Sends it without waiting. */
  send(command: LiveCommandFields['command'], argv?: string[], overrides?: Partial<LiveCommandParams>): number;
  /** The command's output, its chunks joined in seq order. */
  text(commandId: number): string;
  /** The command id's `nth` live/done (1 = the first). */
  waitDone(commandId: number, nth?: number): Promise<LiveDoneParams>;
  /** Resolves once the command's output contains `needle`. */
  waitOutput(commandId: number, needle: string): Promise<void>;
}

export function sign(fields: LiveCommandFields, key = serverKey.privateKey, keyId = 'k1'): LiveCommandParams {
  return { ...fields, keyId, signature: signText(key, canonicalLiveCommandText(fields)) };
}

export function consoleHarness(options: { platform: Platform; stateDir: string; files?: ServerFiles; now?: () => number }): ConsoleHarness {
  const outputs: ConsoleHarness['outputs'] = [];
  const dones: LiveDoneParams[] = [];
  const invalid: string[] = [];
  const waiters: (() => void)[] = [];
  const changed = () => waiters.splice(0).forEach((w) => w());
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise<void>((r) => waiters.push(r));
  };
  const files: ServerFiles = options.files ?? {
    downloadLibraryFile: () => Promise.reject(new Error('no library in this test')),
    uploadResult: () => Promise.reject(new Error('no uploads in this test')),
  };
  const manager = new LiveConsoleManager({
    machineId: MACHINE,
    keys: new Map([['k1', serverKey.publicKey]]),
    transport: {
      async request<R>(method: string, params: unknown): Promise<R> {
        const schema = method === AGENT_METHODS.liveOutput.method ? AGENT_REQUEST_PARAMS.liveOutput : AGENT_REQUEST_PARAMS.liveDone;
        if (!Value.Check(schema, params)) invalid.push(`${method}: ${[...Value.Errors(schema, params)].map((e) => `${e.path} ${e.message}`).join('; ')}`);
        if (method === AGENT_METHODS.liveOutput.method) outputs.push(params as ConsoleHarness['outputs'][number]);
        else if (method === AGENT_METHODS.liveDone.method) dones.push(params as LiveDoneParams);
        changed();
        return { ok: true } as R;
      },
    },
    platform: options.platform,
    executorContext: (actionId, signal): ExecutorContext => ({
      actionId: actionId ?? 'live-console',
      signal,
      log: { info() {}, warn() {}, error() {} },
      platform: options.platform,
      files,
      now: options.now ?? (() => Date.now()),
      stateDir: options.stateDir,
      settings: DEFAULT_AGENT_SETTINGS,
      serverUrls: () => [],
      progress: () => {},
    }),
    now: options.now ?? (() => Date.now()),
    log: { info() {}, warn() {} },
  });
  let nextId = 1;
  const h: ConsoleHarness = {
    manager,
    outputs,
    dones,
    invalid,
    send(command, argv = [], overrides = {}) {
      const commandId = overrides.commandId ?? nextId++;
      const fields: LiveCommandFields = { sessionId: SESSION, commandId, machineId: MACHINE, command, argv, cwd: '/', actionId: null, timeoutMs: 60_000, expiresAt: new Date(Date.now() + 60_000).toISOString() };
      const { keyId, signature, ...rest } = overrides;
      const signed = sign({ ...fields, ...rest });
      manager.onCommand({ ...signed, ...(keyId ? { keyId } : {}), ...(signature ? { signature } : {}) });
      return commandId;
    },
    async run(command, argv, overrides) {
      return h.waitDone(h.send(command, argv, overrides));
    },
    text: (commandId) =>
      outputs
        .filter((o) => o.commandId === commandId)
        .sort((a, b) => a.seq - b.seq)
        .map((o) => o.text)
        .join(''),
    async waitDone(commandId, nth = 1) {
      const of = () => dones.filter((d) => d.commandId === commandId);
      await until(() => of().length >= nth);
      return of()[nth - 1]!;
    },
    async waitOutput(commandId, needle) {
      await until(() => h.text(commandId).includes(needle));
    },
  };
  return h;
}

export type Upload = { options: Omit<UploadResultOptions, 'signal'>; data: Buffer };

/** The server's side of the file routes: a library by name, and the uploads it received. */
export function fakeServerFiles(library: Record<string, string>, uploads: Upload[]): ServerFiles {
  const sha = (d: string | Buffer) => createHash('sha256').update(d).digest('hex');
  return {
    async downloadLibraryFile(name, destPath) {
      if (!(name in library)) throw new Error(`${name} is not in the library`);
      await writeFile(`${destPath}.part`, library[name]!, { mode: 0o600 });
      await rename(`${destPath}.part`, destPath);
      return { sha256: sha(library[name]!), size: library[name]!.length };
    },
    async uploadResult(src, { signal: _signal, ...options }) {
      const data = await readFile(src);
      uploads.push({ options, data });
      return { blobId: `blob-${uploads.length}`, size: data.length, sha256: sha(data) };
    },
  };
}

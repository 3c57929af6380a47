/**
 * TEST-ONLY executors for `--platform fake` (e2e tests and benchmarks): each waits a configured
 * delay (abortable), then succeeds or fails as configured, and appends what it did to
 * `<stateDir>/fake-runs.jsonl` so tests can check that nothing ran twice. Never selected by
 * default; the agent logs a warning when they are in use.
 */
import { createWriteStream } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { join } from 'node:path';
import { ACTION_TYPES, type ActionType } from '@cordon/protocol';
import type { ActionExecutor, ExecutorResult } from '../types.js';

export interface FakeExecutorOptions {
  delayMs: number;
  delays: Readonly<Record<string, number>>;
  fail: readonly string[];
}

export function createFakeExecutors(options: FakeExecutorOptions): Record<ActionType, ActionExecutor> {
  const entries = ACTION_TYPES.map((type) => [type, fakeExecutor(type, options)] as const);
  return Object.fromEntries(entries) as Record<ActionType, ActionExecutor>;
}

function fakeExecutor(type: ActionType, options: FakeExecutorOptions): ActionExecutor {
  return {
    type,
    capability: 'fake',
    validate: (params) => (params === null || typeof params !== 'object' ? 'Parameters must be an object' : undefined),
    async run(params, ctx): Promise<ExecutorResult> {
      const record = (event: string) => appendFile(join(ctx.stateDir, 'fake-runs.jsonl'), `${JSON.stringify({ event, actionId: ctx.actionId, type, params, at: ctx.now() })}\n`);
      await record('start');
      const delay = options.delays[type] ?? options.delayMs;
      const running = type === 'LiveResponse' ? walkCommands(params, ctx, delay) : wait(delay, ctx.signal);
      await running.catch(async (err: unknown) => {
        await record('aborted');
        throw err;
      });
      if (options.fail.includes(type)) {
        await record('failed');
        return { status: 'Failed', error: { code: 'FakeFailure', message: `fake ${type} failed as configured`, hresult: -2147467259 } };
      }
      await record('succeeded');
      if (type === 'CollectInvestigationPackage') return { status: 'Succeeded', output: { fake: true, ...(await uploadFakePackage(ctx)) } };
      return { status: 'Succeeded', output: { fake: true } };
    },
  };
}

/**
 * A fake live response reports each command as the real executor does (InProgress, then
 * Completed after `delayMs`), so a client sees the command statuses move; it produces no results.
 */
async function walkCommands(params: Record<string, unknown>, ctx: Parameters<ActionExecutor['run']>[1], delayMs: number): Promise<void> {
  const commands = Array.isArray(params.Commands) ? params.Commands : [];
  for (const [commandIndex] of commands.entries()) {
    const startTime = new Date(ctx.now()).toISOString();
    ctx.progress({ commandIndex, commandStatus: 'InProgress', startTime, endTime: null, errors: [], result: null });
    await wait(delayMs, ctx.signal);
    ctx.progress({ commandIndex, commandStatus: 'Completed', startTime, endTime: new Date(ctx.now()).toISOString(), errors: [], result: null });
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/**
 * A collection must leave something to download (getPackageUri, the UI's download button): a small
 * real zip, uploaded through the same ServerFiles path as the real package.
 */
async function uploadFakePackage(ctx: Parameters<ActionExecutor['run']>[1]): Promise<{ blobId: string; size: number; sha256: string }> {
  const zipPath = join(ctx.stateDir, `fake-package-${ctx.actionId}.zip`);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('DataPoint,Folder,Command,Status,Error,Bytes,DurationMs\r\nFake,,fake platform,Succeeded,,0,0\r\n'), 'CollectionSummaryReport.csv');
  zip.end();
  try {
    await pipeline(zip.outputStream, createWriteStream(zipPath));
    const uploaded = await ctx.files.uploadResult(zipPath, { name: 'InvestigationPackage.zip', contentType: 'application/zip', signal: ctx.signal });
    return { blobId: uploaded.blobId, size: uploaded.size, sha256: uploaded.sha256 };
  } finally {
    await rm(zipPath, { force: true });
  }
}

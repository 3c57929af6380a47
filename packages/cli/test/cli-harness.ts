/**
 * Runs the real `cordon` entry (`node --import tsx packages/cli/src/main.ts ...`) as a child
 * process, with workspace packages resolved to their sources and a private HOME/profile.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** tsx's loader by absolute URL: `--import tsx` would resolve from the child's cwd (a temp dir). */
const tsxLoader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  dir: string;
  profile: string;
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** The command line and environment `run` uses, for tests that run it in a shell pipeline or a terminal. */
  command(args: string[], env?: Record<string, string>): { argv: string[]; env: Record<string, string> };
  cleanup(): Promise<void>;
}

export async function cliSandbox(): Promise<CliSandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'cordon-cli-'));
  const profile = join(dir, 'config', 'cordon', 'profile.json');
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    CORDON_PROFILE: profile,
    TSX_TSCONFIG_PATH: join(root, 'packages/cli/test/tsconfig.source.json'),
    NO_COLOR: '1',
  };
  return {
    dir,
    profile,
    run: (args, env = {}) =>
      new Promise((resolve) => {
        // Async execFile: the fake server answering the child lives in this same event loop.
        execFile(process.execPath, ['--import', tsxLoader, join(root, 'packages/cli/src/main.ts'), ...args], { cwd: dir, env: { ...baseEnv, ...env } }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        });
      }),
    command: (args, env = {}) => ({ argv: [process.execPath, '--import', tsxLoader, join(root, 'packages/cli/src/main.ts'), ...args], env: { ...baseEnv, ...env } }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

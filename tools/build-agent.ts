/**
 * `npm run build:agent`: the self-contained agent artifact in packages/agent/artifact/.
 *   cordon-agent.cjs   the agent and protocol bundled by esbuild (nothing else of the monorepo)
 *   cordon-agent       a Node single executable application of that bundle: a device needs no Node
 *   cordon-exec-guard  the fanotify helper, compiled here so a device needs no C compiler
 *   manifest.json      { version, arch } the packages are named and labelled with
 * The server and `cordon agent-package` wrap these into .deb and .tar.gz packages.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { inject } from 'postject';
import { AGENT_VERSION } from '../packages/agent/src/device-info.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'packages/agent/artifact');
// The fuse string Node's single executable support looks for (Node's documentation, "Single executable applications").
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const bundle = join(out, 'cordon-agent.cjs');
await build({
  entryPoints: [join(root, 'packages/agent/src/cli.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // A single executable application runs one CommonJS script.
  format: 'cjs',
  alias: { '@cordon/protocol': join(root, 'packages/protocol/src/index.ts') },
  // ws tries to load these optional native speed-ups; the agent does without them (a single
  // executable can require only built-in modules), so ws is told not to try.
  external: ['bufferutil', 'utf-8-validate'],
  define: {
    'process.env.WS_NO_BUFFER_UTIL': '"1"',
    'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
    // Only read by execGuardSource(), which a single executable never calls (its helper is prebuilt).
    'import.meta.url': 'undefined',
  },
  legalComments: 'inline',
  logLevel: 'warning',
});

execFileSync('cc', ['-O2', '-Wall', '-s', '-o', join(out, 'cordon-exec-guard'), join(root, 'packages/agent/src/platform/exec-guard/cordon-exec-guard.c')], { stdio: 'inherit' });

const blob = join(out, 'sea-prep.blob');
const seaConfig = join(out, 'sea-config.json');
writeFileSync(seaConfig, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }));
execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'ignore' });
const exe = join(out, 'cordon-agent');
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// Node's symbols are a tenth of the binary and no use on a device (Debian policy wants binaries stripped).
execFileSync('strip', [exe]);
await inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
rmSync(blob);
rmSync(seaConfig);
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify({ version: AGENT_VERSION, arch: process.arch, node: process.version })}\n`);
process.stdout.write(`agent artifact in ${out}\n`);

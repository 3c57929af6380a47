/**
 * The README runs as written. Every ```sh block of README.md is run, in order, by bash with
 * `set -euo pipefail` in a fresh copy of this built tree (support/built-tree-copy.ts), against the
 * server its Quick start starts, with a real agent enrolled from the package its commands write.
 * The only changes are the ones in SUBSTITUTIONS below: what a user types in place of a
 * placeholder, or what they would do in another terminal or on another machine. Each must still
 * match the README, so the table cannot silently drift from it.
 *
 * The server runs in a network namespace of its own ("the server machine", so the README's port
 * 8080 is free whatever else runs here), the agent as root in another one ("the device", linked by
 * a veth pair). That needs root, ip and unshare: without them the test is skipped with the reason,
 * and fails under CORDON_REQUIRE_PRIVILEGED=1 (.ci/run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/cluster.js';
import { copyBuiltTree } from './support/built-tree-copy.js';
import { skipUnlessAble } from './support/require-privileged.js';

const SERVER_ADDRESS = '10.77.0.1'; // the veth's server end; namespaces are private, so any address does
const DEVICE_ADDRESS = '10.77.0.2';

interface Substitution {
  /** Exact text in README.md (it must occur there). */
  readme: string;
  /** What runs instead (the functions come from support/readme-helpers.sh). */
  runs: string;
  why: string;
}

const SUBSTITUTIONS: Substitution[] = [
  {
    readme: 'npm ci && npm start     # server on embedded SQLite at http://127.0.0.1:8080, data in ./.cordon/',
    runs: 'CORDON_HOST=0.0.0.0 start_server node packages/cli/dist/main.js server',
    why: '`npm ci` is the copy\'s linked node_modules and `npm start` is `npm run build` plus this command on a tree built already; CORDON_HOST=0.0.0.0 as "Enrolling a device" says, so the device can reach it; in the background, as a user leaves it running in its own terminal',
  },
  {
    readme: 'npm ci && npm test      # the whole test suite (root runs the privileged namespace tests too)',
    runs: ': the test suite is the run this test is part of',
    why: 'running the suite from inside itself would never end; .ci/run runs exactly this command',
  },
  {
    readme: '<server address>',
    runs: SERVER_ADDRESS,
    why: 'the address of the server machine that the device reaches',
  },
  {
    readme: 'sudo npx cordon agent --onboarding onboarding.json --state /var/lib/cordon-agent',
    runs: 'on_device npx cordon agent --onboarding onboarding.json --state /var/lib/cordon-agent',
    why: 'the device is a network namespace; the test is root already, and a CI container running as root often has no sudo, so `sudo` is dropped rather than installed; in the background, as a service would run it',
  },
  {
    readme: '--client-id <id> --client-secret <secret>',
    runs: '--client-id $(jq -r .clientId $creds) --client-secret $(jq -r .clientSecret $creds)',
    why: 'the admin application the server wrote on first start',
  },
  {
    readme: 'npm run build\necho',
    runs: 'echo',
    why: 'the tree is built already (see the Quick start substitution)',
  },
];

/** Output the README promises in a comment next to a command; the block must print it. */
const PROMISED_OUTPUT: { line: string; prints: string[] }[] = [
  { line: 'unzip -l package.zip', prints: ['Autoruns/', 'Network connections/', 'Processes/', 'CollectionSummaryReport.csv'] },
  { line: 'curl -s "$(link 0)"', prints: ['{"script_name":"hello.sh","exit_code":0,"script_output":"hello world\\n","script_errors":""}'] },
];

interface Block {
  heading: string;
  text: string;
}

function readmeBlocks(readme: string): Block[] {
  const blocks: Block[] = [];
  let heading = '(top)';
  const re = /^## (.+)$|^```sh\n([\s\S]*?)^```$/gm;
  for (const m of readme.matchAll(re)) {
    if (m[1]) heading = m[1];
    else blocks.push({ heading, text: m[2]! });
  }
  return blocks;
}

const isRoot = process.getuid?.() === 0;
const missing = ['ip', 'unshare', 'curl', 'jq', 'unzip', 'nft'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = skipUnlessAble('README walkthrough', !isRoot ? 'needs root for the server and device network namespaces' : missing.length > 0 ? `missing ${missing.join(', ')}` : undefined);

const sh = (cmd: string) => {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
};

/** Stops what a helper started with setsid: its pid is its process group, which holds npx and node. */
async function stopGroup(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const group = -Number(readFileSync(pidFile, 'utf8').trim());
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(group, 'SIGTERM');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(group, 'SIGKILL');
}

describe.skipIf(skip)('README.md, run as written', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const suffix = Math.random().toString(36).slice(2, 8);
  const serverNs = `cordon-rs-${suffix}`;
  const deviceNs = `cordon-rd-${suffix}`;
  let work: string;
  let tree: string;
  let state: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'cordon-readme-'));
    tree = join(work, 'cordon');
    state = join(work, 'shell-state.sh');
    mkdirSync(join(work, 'home'));
    mkdirSync(join(work, 'device-var-lib'));
    copyBuiltTree(ROOT, tree);
    sh(`ip netns add ${serverNs} && ip netns add ${deviceNs}`);
    sh(`ip link add rs${suffix} netns ${serverNs} type veth peer name rd${suffix} netns ${deviceNs}`);
    sh(`ip -n ${serverNs} addr add ${SERVER_ADDRESS}/30 dev rs${suffix} && ip -n ${serverNs} link set rs${suffix} up && ip -n ${serverNs} link set lo up`);
    sh(`ip -n ${deviceNs} addr add ${DEVICE_ADDRESS}/30 dev rd${suffix} && ip -n ${deviceNs} link set rd${suffix} up && ip -n ${deviceNs} link set lo up`);
    sh(`: > ${state}`);
  }, 120_000);

  afterAll(async () => {
    for (const pidFile of ['agent.pid', 'server.pid']) await stopGroup(join(tree, pidFile));
    spawnSync('ip', ['netns', 'del', serverNs]);
    spawnSync('ip', ['netns', 'del', deviceNs]);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it('should substitute only text the README contains', () => {
    const absent = SUBSTITUTIONS.filter((s) => !readme.includes(s.readme)).map((s) => s.readme);
    expect(absent).toEqual([]);
    for (const promise of PROMISED_OUTPUT) {
      const line = readme.split('\n').find((l) => l.startsWith(promise.line));
      for (const text of promise.prints) expect(line, `the README promises ${text}`).toContain(text);
    }
  });

  const blocks = readmeBlocks(readme);
  for (const [index, block] of blocks.entries()) {
    it(`should run block ${index + 1} (${block.heading}) and exit 0`, () => {
      const script = SUBSTITUTIONS.reduce((text, s) => text.split(s.readme).join(s.runs), block.text);
      // Variables and functions a block defines carry to the next one, as in one terminal.
      const wrapped = [
        'set -euo pipefail',
        `source ${join(ROOT, 'e2e/support/readme-helpers.sh')}`,
        `source ${state}`,
        script,
        `{ declare -f; for v in $(compgen -v | grep -E '^[a-z][a-z0-9_]*$'); do declare -p "$v"; done; } > ${state}`,
      ].join('\n');
      const r = spawnSync('ip', ['netns', 'exec', serverNs, 'bash', '-c', wrapped], {
        cwd: tree,
        encoding: 'utf8',
        timeout: 300_000,
        env: { PATH: process.env.PATH ?? '', HOME: join(work, 'home'), NO_COLOR: '1', DEVICE_NS: deviceNs, DEVICE_VAR_LIB: join(work, 'device-var-lib') },
      });
      const transcript = `--- block ---\n${script}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
      expect(r.status, transcript).toBe(0);
      // curl -s exits 0 on an HTTP error: an MDE error envelope in the output is a failed command.
      expect(r.stdout, transcript).not.toMatch(/"error":\s*\{/);
      for (const promise of PROMISED_OUTPUT) {
        if (block.text.includes(promise.line)) for (const text of promise.prints) expect(r.stdout, transcript).toContain(text);
      }
    }, 320_000);
  }

  it('should have left what the README says: 0600 credentials also printed on first start, a package naming the server, an enrolled device, the fetched file', () => {
    expect(statSync(join(tree, '.cordon/credentials.json')).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(readFileSync(join(tree, '.cordon/credentials.json'), 'utf8')) as { clientId: string; clientSecret: string };
    const serverLog = readFileSync(join(tree, 'server.log'), 'utf8');
    expect(serverLog).toContain(creds.clientId);
    expect(serverLog).toContain(creds.clientSecret);
    expect(JSON.parse(readFileSync(join(tree, 'onboarding.json'), 'utf8'))).toMatchObject({ serverUrl: `http://${SERVER_ADDRESS}:8080` });
    expect(readFileSync(join(tree, 'agent.log'), 'utf8')).toMatch(/^Cordon agent running as machine [0-9a-f]{40}$/m);
    expect(readFileSync(join(tree, 'os-release'), 'utf8')).toBe(readFileSync('/etc/os-release', 'utf8'));
  });
});

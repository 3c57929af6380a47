/**
 * The keyring branch for real: each CLI run gets its own D-Bus session bus (dbus-run-session) with a
 * gnome-keyring Secret Service unlocked in it, under the sandbox's private HOME, so the keyring file
 * lives in the test's temp dir and never touches the user's own keyring. Every run unlocks the same
 * on-disk keyring, as a person's desktop session would after a reboot.
 */
import { describe, expect, vi } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it, type Ctx } from './cli-fixture.js';
import type { CliResult } from './cli-harness.js';
import { skipUnlessAble } from '../../../e2e/support/require-privileged.js';

vi.setConfig({ testTimeout: 300_000 });

function installed(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'].filter((tool) => !installed(tool));
// .ci/run installs all three: on CI a missing one fails the run instead of skipping.
const skip = skipUnlessAble('Secret Service keyring', missing.length === 0 ? undefined : `${missing.join(', ')} not installed (Debian: dbus, gnome-keyring, libsecret-tools)`);

/**
 * Runs argv inside a fresh session bus with the sandbox's keyring unlocked. Its stdout goes to a file:
 * a keyring daemon the bus starts on demand inherits the bus's stdout and prints its environment there.
 */
async function inKeyringSession(argv: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const out = join(cwd, `keyring-run-${++runs}.out`);
  const script = 'echo keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 && exec "$@" >"$KEYRING_TEST_OUT"';
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...argv], { env: { ...env, KEYRING_TEST_OUT: out }, cwd }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
    });
  });
  return { code, stdout: await readFile(out, 'utf8'), stderr };
}
let runs = 0;

const cordon = (ctx: Ctx, args: string[], env: Record<string, string>) => {
  const cmd = ctx.cli.command(args, env);
  return inKeyringSession(cmd.argv, cmd.env, ctx.cli.dir);
};

describe.skipIf(skip)('secrets in the Secret Service', () => {
  it('should keep the client secret in the keyring, out of the file, use it, and remove it on logout', async ({ ctx }) => {
    const env = { XDG_CONFIG_HOME: join(ctx.cli.dir, 'xdg'), CORDON_PROFILE: '' };
    const path = join(ctx.cli.dir, 'xdg', 'cordon', 'profiles', 'work.json');
    const login = await cordon(ctx, ['login', '--profile', 'work', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret'], env);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('\nclient secret stored in the OS keyring (Secret Service)\n');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ server: ctx.server.url, tenant: 't1', clientId: 'c1', secretStore: 'keyring' });
    // What any Secret Service client (here libsecret's secret-tool) finds under the profile's account.
    const lookup = () => inKeyringSession(['secret-tool', 'lookup', 'service', 'cordon', 'username', path], ctx.cli.command([], env).env, ctx.cli.dir);
    expect((await lookup()).stdout).toBe(JSON.stringify({ clientSecret: 's3cret' }));

    const status = await cordon(ctx, ['auth', 'status', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ profile: 'work', method: 'application', secretStore: 'keyring', signedIn: true });
    expect(ctx.server.requests.at(-1)!.body.toString()).toContain('client_secret=s3cret');
    expect((await cordon(ctx, ['profiles', 'list', '--query', '[0].secretStore'], env)).stdout).toBe('"keyring"\n');

    const logout = await cordon(ctx, ['logout'], env);
    expect(logout.stdout).toBe(`removed the client secret of profile work (${path}) from the OS keyring (Secret Service)\n`);
    expect((await lookup()).code).not.toBe(0);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ server: ctx.server.url, tenant: 't1', clientId: 'c1' });
    expect((await cordon(ctx, ['auth', 'status'], env)).code).toBe(1);
  });

  it('should keep the secret in the file when CORDON_KEYRING=off, even with a keyring running', async ({ ctx }) => {
    const env = { XDG_CONFIG_HOME: join(ctx.cli.dir, 'xdg'), CORDON_PROFILE: '', CORDON_KEYRING: 'off' };
    const login = await cordon(ctx, ['login', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret'], env);
    expect(login.stdout).toContain('(mode 0600): no OS keyring (CORDON_KEYRING=off)\n');
    expect(JSON.parse(await readFile(join(ctx.cli.dir, 'xdg', 'cordon', 'profile.json'), 'utf8'))).toMatchObject({ clientSecret: 's3cret' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CordonApiError } from '@cordon/api-client';
import { exitCodeFor, formatError } from './output.js';
import { formatBytes, formatElapsed } from './progress.js';
import { loadProfile, namedProfilePath, resolveProfileRef, saveProfile } from './profile.js';
import { resolveProfile } from './connection.js';
import { buildCommands } from '../commands/live.js';
import { listQuery, odataString } from '../commands/list-options.js';
import { formatSeconds, parseDuration } from './duration.js';
import { DEFAULT_UNREACHABLE_MS, pollAction, pollDelays, watchAction, type ActionSource } from './follow.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('profile', () => {
  it('should default to ~/.config/cordon/profile.json, take a path with a / as a file and honour XDG_CONFIG_HOME', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-profile-'));
    expect(await resolveProfileRef('/p.json', { XDG_CONFIG_HOME: dir })).toEqual({ path: '/p.json' });
    expect(await resolveProfileRef(undefined, { XDG_CONFIG_HOME: dir })).toEqual({ name: 'default', path: join(dir, 'cordon/profile.json') });
    expect(await resolveProfileRef('work', { XDG_CONFIG_HOME: dir })).toEqual({ name: 'work', path: join(dir, 'cordon/profiles/work.json') });
    expect(namedProfilePath('default', { HOME: '/h' })).toMatch(/\.config\/cordon\/profile\.json$/);
  });

  it('should refuse a profile name that is neither a name nor a path', async () => {
    await expect(resolveProfileRef('bad name', {})).rejects.toThrow(/bad profile name "bad name": .*\.\/bad name/);
  });

  it('should tighten an existing profile file to 0600 when saving', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-profile-'));
    const path = join(dir, 'profile.json');
    await writeFile(path, '{}');
    await chmod(path, 0o644);
    await saveProfile({ path }, { server: 'http://s', tenant: 't', clientId: 'c', clientSecret: 'x' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadProfile({ path })).toEqual({ server: 'http://s', tenant: 't', clientId: 'c', clientSecret: 'x', secretStore: 'file' });
    expect(JSON.parse(await readFile(path, 'utf8')).clientSecret).toBe('x');
  });

  it('should let environment variables override the saved profile field by field', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-profile-'));
    const path = join(dir, 'profile.json');
    await saveProfile({ path }, { server: 'http://saved', tenant: 't', clientId: 'c', clientSecret: 'x' });
    expect(await resolveProfile({ profile: path }, { CORDON_SERVER: 'http://env', CORDON_CLIENT_SECRET: '' })).toEqual({
      server: 'http://env',
      tenant: 't',
      clientId: 'c',
      clientSecret: 'x',
    });
  });
});

describe('environment sign-in over the profile', () => {
  const saved = { server: 'http://saved', tenant: 't', clientId: 'c', clientSecret: 'x' };
  const withProfile = async (profile: Parameters<typeof saveProfile>[1]) => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-profile-'));
    const path = join(dir, 'profile.json');
    await saveProfile({ path }, profile);
    return path;
  };

  it('should let CORDON_TOKEN replace the client credentials of the profile', async () => {
    const path = await withProfile(saved);
    expect(await resolveProfile({ profile: path }, { CORDON_TOKEN: 'jwt' })).toEqual({ server: 'http://saved', tenant: 't', token: 'jwt' });
  });

  it('should let CORDON_TOKEN replace a saved user session', async () => {
    const path = await withProfile({ server: 'http://saved', tenant: 't', user: 'alice', session: { cookie: 'k', csrfToken: 'c' } });
    expect(await resolveProfile({ profile: path }, { CORDON_TOKEN: 'jwt' })).toEqual({ server: 'http://saved', tenant: 't', token: 'jwt' });
  });

  it('should let environment client credentials replace a saved token, keeping a saved client id', async () => {
    const path = await withProfile({ server: 'http://saved', tenant: 't', clientId: 'c', token: 'old' });
    expect(await resolveProfile({ profile: path }, { CORDON_CLIENT_SECRET: 'new' })).toEqual({ server: 'http://saved', tenant: 't', clientId: 'c', clientSecret: 'new' });
  });
});

describe('output', () => {
  it('should map final statuses to the documented exit codes', () => {
    expect(['Succeeded', 'Failed', 'TimeOut', 'Cancelled', 'Pending', 'InProgress'].map((s) => exitCodeFor(s as never))).toEqual([0, 2, 3, 4, 5, 5]);
  });

  it('should format API errors as code, message and request id, other errors as their message', () => {
    expect(formatError(new CordonApiError(404, 'ResourceNotFound', 'Machine m was not found', 'r-1'))).toBe('cordon: ResourceNotFound: Machine m was not found (request r-1)');
    expect(formatError(new CordonApiError(0, 'NetworkError', 'cannot reach http://x'))).toBe('cordon: NetworkError: cannot reach http://x');
    expect(formatError(new Error('boom'))).toBe('cordon: boom');
  });

  it('should format elapsed time and byte counts', () => {
    expect([formatElapsed(0), formatElapsed(61_999), formatElapsed(3_600_000)]).toEqual(['00:00', '01:01', '60:00']);
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 * 1024)]).toEqual(['512 B', '1.5 KiB', '5.0 MiB']);
  });
});

describe('command helpers', () => {
  it('should refuse live run without any command and --args without --script', () => {
    expect(() => buildCommands({ put: [], get: [] })).toThrow('nothing to do');
    expect(() => buildCommands({ put: [], get: [], args: '-x' })).toThrow('--args needs --script');
  });

  it('should quote OData string literals and only parenthesise a user filter when combining', () => {
    expect(odataString("o'brien")).toBe("'o''brien'");
    expect(listQuery({ filter: "status eq 'Pending'" }).filter).toBe("status eq 'Pending'");
    expect(listQuery({ filter: 'a or b' }, ["type eq 'Isolate'"]).filter).toBe("(a or b) and type eq 'Isolate'");
    expect(() => listQuery({ top: '-1' })).toThrow('--top must be a whole number');
  });
});

describe('durations', () => {
  it('should read plain seconds and ms/s/m/h units, alone or combined', () => {
    expect(['2', '0.5', '.25', '90s', '500ms', '5m', '1h', '1h30m', '1m30s'].map(parseDuration)).toEqual([2000, 500, 250, 90_000, 500, 300_000, 3_600_000, 5_400_000, 90_000]);
  });

  it('should refuse zero, negatives, unknown units and words', () => {
    for (const bad of ['0', '0s', '-1', '-5m', '5x', '1 minute', '', 'm', '1d']) expect(() => parseDuration(bad), bad).toThrow(/expected a duration/);
  });

  it('should print a duration in seconds', () => {
    expect([formatSeconds(200), formatSeconds(90_000), formatSeconds(1)]).toEqual(['0.2s', '90s', '0.001s']);
  });
});

describe('following an action', () => {
  const action = (status: string) => ({ id: 'a1', status }) as never;
  const network = () => new CordonApiError(0, 'NetworkError', 'cannot reach http://x: ECONNREFUSED');
  /** A fake clock that sleeping advances, and the list of sleeps. */
  const clock = () => {
    let t = 0;
    const slept: number[] = [];
    return { slept, now: () => t, sleep: async (ms: number) => void (slept.push(ms), (t += ms)) };
  };
  const getter = (replies: Array<string | Error>) => {
    let i = 0;
    return async () => {
      const r = replies[Math.min(i++, replies.length - 1)]!;
      if (r instanceof Error) throw r;
      return action(r);
    };
  };

  it('should poll at 100 ms first and double up to the interval', () => {
    const take = (g: Generator<number>, n: number) => Array.from({ length: n }, () => g.next().value as number);
    expect(take(pollDelays(2000), 7)).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
    expect(take(pollDelays(1), 2)).toEqual([1, 1]);
  });

  it('should report a quick action after the first short poll', async () => {
    const c = clock();
    const outcome = await pollAction(getter(['Pending', 'Succeeded']), action('Pending'), {}, {}, c);
    expect(outcome).toMatchObject({ kind: 'final', action: { status: 'Succeeded' } });
    expect(c.slept).toEqual([100]);
  });

  it('should retry network errors and 429 with a doubling delay, then go on polling', async () => {
    const c = clock();
    const retries: string[] = [];
    const replies = [network(), new CordonApiError(429, 'TooManyRequests', 'slow down'), network(), 'InProgress', 'Succeeded'];
    const outcome = await pollAction(getter(replies), action('Pending'), {}, { onRetry: (why) => retries.push(why) }, c);
    expect(outcome.kind).toBe('final');
    expect(c.slept).toEqual([500, 1000, 2000, 100]);
    expect(retries).toEqual(['server unreachable', 'rate limited by the server', 'server unreachable']);
  });

  it('should throw a refusal at once', async () => {
    await expect(pollAction(getter([new CordonApiError(403, 'Forbidden', 'no')]), action('Pending'), {}, {}, clock())).rejects.toThrow('no');
  });

  it('should stop at --timeout, saying whether the server was unreachable', async () => {
    expect(await pollAction(getter(['Pending']), action('Pending'), { timeout: 1000 }, {}, clock())).toMatchObject({ kind: 'timeout' });
    const down = await pollAction(getter([network()]), action('Pending'), { timeout: 3000 }, {}, clock());
    expect(down).toMatchObject({ kind: 'timeout', unreachable: { code: 'NetworkError' } });
  });

  it('should give up on an unreachable server after the default time when there is no --timeout', async () => {
    const c = clock();
    const outcome = await pollAction(getter([network()]), action('Pending'), {}, {}, c);
    expect(outcome).toMatchObject({ kind: 'unreachable', error: { code: 'NetworkError' } });
    expect(c.now()).toBeGreaterThanOrEqual(DEFAULT_UNREACHABLE_MS);
  });

  it('should end as interrupted when the interrupt signal fires', async () => {
    const interrupt = new AbortController();
    const sleep = async () => interrupt.abort();
    const outcome = await pollAction(getter(['InProgress']), action('Pending'), {}, {}, { sleep, interrupt: interrupt.signal });
    expect(outcome).toMatchObject({ kind: 'interrupted', action: { status: 'InProgress' } });
  });
  /** A stream source: each connection plays the next script (states, or an error to throw). */
  const streams = (connections: Array<string[] | Error>, onGet: () => never = () => { throw new Error('polled'); }): ActionSource & { opened: number } => {
    const source = {
      opened: 0,
      get: async () => onGet(),
      stream: async function* () {
        const script = connections[Math.min(source.opened++, connections.length - 1)]!;
        if (script instanceof Error) throw script;
        for (const status of script) yield action(status);
      },
    };
    return source;
  };

  it('should follow the event stream to the final status without sleeping or polling', async () => {
    const c = clock();
    const source = streams([['Pending', 'InProgress', 'Succeeded']]);
    const seen: string[] = [];
    const outcome = await watchAction(source, action('Pending'), {}, { onUpdate: (a) => seen.push(a.status) }, c);
    expect(outcome).toMatchObject({ kind: 'final', action: { status: 'Succeeded' } });
    expect(seen).toEqual(['Pending', 'InProgress', 'Succeeded']);
    expect(c.slept).toEqual([]);
  });

  it('should reconnect the stream with a doubling delay after 429 and network errors, and after the server ends it', async () => {
    const c = clock();
    const retries: string[] = [];
    const source = streams([new CordonApiError(429, 'TooManyRequests', 'slow down'), network(), ['InProgress'], network(), ['Succeeded']]);
    const outcome = await watchAction(source, action('Pending'), {}, { onRetry: (why) => retries.push(why) }, c);
    expect(outcome.kind).toBe('final');
    expect(source.opened).toBe(5);
    // A state seen on a connection resets the backoff.
    expect(c.slept).toEqual([500, 1000, 500, 500]);
    expect(retries).toEqual(['rate limited by the server', 'server unreachable', 'event stream closed by the server', 'server unreachable']);
  });

  it('should give up after the default time when the stream cannot be reached, and stop at --timeout', async () => {
    const c = clock();
    expect(await watchAction(streams([network()]), action('Pending'), {}, {}, c)).toMatchObject({ kind: 'unreachable' });
    expect(c.now()).toBeGreaterThanOrEqual(DEFAULT_UNREACHABLE_MS);
    expect(await watchAction(streams([network()]), action('Pending'), { timeout: 3000 }, {}, clock())).toMatchObject({ kind: 'timeout', unreachable: { code: 'NetworkError' } });
  });

  it('should poll instead when the server has no event stream (404)', async () => {
    const c = clock();
    const source = streams([new CordonApiError(404, 'NotFound', 'No resource matches GET /api/cordon/events')]);
    source.get = getter(['InProgress', 'Succeeded']);
    const outcome = await watchAction(source, action('Pending'), {}, {}, c);
    expect(outcome).toMatchObject({ kind: 'final', action: { status: 'Succeeded' } });
    expect(source.opened).toBe(1);
    expect(c.slept).toEqual([100]);
  });

  it('should end an open stream as interrupted on Ctrl-C', async () => {
    const interrupt = new AbortController();
    const source: ActionSource = {
      get: async () => action('Pending'),
      stream: async function* (_id, signal) {
        yield action('InProgress');
        setImmediate(() => interrupt.abort());
        // A stream that stays open: ends only through the signal, as fetch does.
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      },
    };
    const outcome = await watchAction(source, action('Pending'), {}, {}, { interrupt: interrupt.signal });
    expect(outcome).toMatchObject({ kind: 'interrupted', action: { status: 'InProgress' } });
  });
});

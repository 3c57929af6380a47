/**
 * The live response console in the deployed suite: a session through the public API against the
 * real server and agent, every Linux command of the console run on the device, and each effect
 * checked from outside the agent (the file on the device's disk, the process in its namespace, the
 * bytes downloaded). Called from the deployed suite, so it runs on both engines.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/cluster.js';
import { run } from './processes.js';
import type { Deployment } from './harness.js';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const FINAL = ['Completed', 'Failed', 'Cancelled', 'TimeOut'];
const SESSIONS = '/api/cordon/liveresponse/sessions';

interface Command {
  id: number;
  status: string;
  exitCode: number | null;
  errors: string[];
  machineActionId: string | null;
  resultFile: { name: string; size: number; sha256: string } | null;
  [k: string]: unknown;
}

/** The pid a host process has inside the device's PID namespace (what the agent sees). */
function devicePid(hostPid: number): number {
  const line = readFileSync(`/proc/${hostPid}/status`, 'utf8').split('\n').find((l) => l.startsWith('NSpid:'))!;
  return Number(line.trim().split(/\s+/).at(-1));
}

/** The state letter of a host process (R, S, T…), or undefined when it is gone. */
function processState(hostPid: number): string | undefined {
  try {
    return readFileSync(`/proc/${hostPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0];
  } catch {
    return undefined;
  }
}

export function liveConsoleCases(d: Deployment): void {
  describe('live response console', () => {
    let session = '';
    let opened: { openedBy: string } = { openedBy: '' };
    const tag = () => d.id;

    const send = (commandLine: string) => d.api.call('POST', `${SESSIONS}/${session}/commands`, { commandLine });
    const output = async (id: number) => {
      const r = await d.api.call('GET', `${SESSIONS}/${session}/commands/${id}/output`);
      expect(r.status).toBe(200);
      return typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    };
    /** Sends a line and waits for the command to end; its record and output. */
    const runLine = async (commandLine: string, timeoutMs = 60_000): Promise<{ command: Command; output: string }> => {
      const created = await send(commandLine);
      expect(created.status, `${commandLine}: ${JSON.stringify(created.body)}`).toBe(201);
      const command = await waitFor(`${commandLine} to end`, async () => {
        const r = await d.api.call('GET', `${SESSIONS}/${session}/commands/${created.body.id}`);
        return FINAL.includes(r.body.status) ? (r.body as Command) : undefined;
      }, timeoutMs, 100);
      return { command, output: await output(command.id) };
    };
    const completes = async (commandLine: string, timeoutMs?: number) => {
      const r = await runLine(commandLine, timeoutMs);
      expect(r.command.status, `${commandLine}: ${r.command.errors.join('; ')} ${r.output}`).toBe('Completed');
      return r;
    };

    beforeAll(async () => {
      const r = await d.api.call('POST', SESSIONS, { machineId: d.machineId });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ machineId: d.machineId, state: 'Active', currentDirectory: '/' });
      session = r.body.id;
      opened = r.body;
    }, 30_000);
    afterAll(async () => {
      if (session) await d.api.call('DELETE', `${SESSIONS}/${session}`);
    });

    it('should refuse a second session on the device, naming who holds it', async () => {
      const second = await d.api.call('POST', SESSIONS, { machineId: d.machineId });
      // MDE answers a conflicting request on a device 400 ActiveRequestAlreadyExists (mde-api.md §2.2).
      expect(second.status).toBe(400);
      expect(second.body.error.code).toBe('ActiveRequestAlreadyExists');
      const holder = opened.openedBy;
      expect(second.body.error.message).toContain(holder);
      const list = await d.api.call('GET', `${SESSIONS}?machineId=${d.machineId}&state=Active`);
      expect(list.body.value.map((s: { id: string }) => s.id)).toEqual([session]);
    });

    it('should refuse unknown and Windows-only commands with a clear message, creating nothing', async () => {
      const before = (await d.api.call('GET', `${SESSIONS}/${session}/commands`)).body.value.length;
      const unknown = await send('rm -rf /');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/Unknown command 'rm'/);
      const windows = await send('registry');
      expect(windows.status).toBe(400);
      expect(windows.body.error.message).toMatch(/not available on Linux/);
      expect(await send('x'.repeat(5000)).then((r) => r.status)).toBe(400);
      expect((await d.api.call('GET', `${SESSIONS}/${session}/commands`)).body.value.length).toBe(before);
    });

    it('should answer help, library and trace from the server', async () => {
      expect((await completes('help')).output).toMatch(/getfile/);
      expect((await completes('help getfile')).output).toMatch(/getfile <path>/);
      await d.upload(`console-lib-${tag()}.txt`, 'in the library\n');
      expect((await completes('library')).output).toContain(`console-lib-${tag()}.txt`);
    });

    it('should cd into a directory and list it with dir; cd into a file fails and keeps the directory', async () => {
      await mkdir(d.device.path(`/tmp/console-${tag()}`), { recursive: true });
      await writeFile(d.device.path(`/tmp/console-${tag()}/planted.txt`), 'planted\n');
      await completes(`cd /tmp/console-${tag()}`);
      expect((await d.api.call('GET', `${SESSIONS}/${session}`)).body.currentDirectory).toBe(`/tmp/console-${tag()}`);
      expect((await completes('dir')).output).toContain('planted.txt');
      const intoFile = await runLine('cd planted.txt');
      expect(intoFile.command.status).toBe('Failed');
      expect((await d.api.call('GET', `${SESSIONS}/${session}`)).body.currentDirectory).toBe(`/tmp/console-${tag()}`);
    });

    it('should give fileinfo with the hashes of the bytes on the device', async () => {
      const bytes = randomBytes(100_000);
      await writeFile(d.device.path(`/tmp/console-${tag()}/info.bin`), bytes);
      const { output } = await completes('fileinfo info.bin');
      expect(output).toContain(sha256(bytes));
      expect(output).toContain(createHash('md5').update(bytes).digest('hex'));
      expect(output).toContain('100000');
    });

    it('should find a file by glob under a root', async () => {
      await mkdir(d.device.path(`/tmp/console-${tag()}/deep/er`), { recursive: true });
      await writeFile(d.device.path(`/tmp/console-${tag()}/deep/er/needle-${tag()}.log`), 'x');
      const { output } = await completes(`findfile needle-*.log -root /tmp/console-${tag()}`);
      expect(output).toContain(`/tmp/console-${tag()}/deep/er/needle-${tag()}.log`);
    });

    it('should download a file with getfile, byte-identical, as a LiveResponse action from the session', async () => {
      const evidence = randomBytes(300_000);
      await writeFile(d.device.path(`/tmp/console-${tag()}/evidence.bin`), evidence);
      const { command } = await completes(`getfile /tmp/console-${tag()}/evidence.bin`);
      expect(command.resultFile).toMatchObject({ size: evidence.length, sha256: sha256(evidence) });
      const action = await d.api.action(command.machineActionId!);
      expect(action).toMatchObject({ type: 'LiveResponse', requestSource: 'LiveResponseSession', status: 'Succeeded', machineId: d.machineId });
      const link = await d.api.call('GET', `/api/machineactions/${command.machineActionId}/GetLiveResponseResultDownloadLink(index=0)`);
      expect(link.status, JSON.stringify(link.body)).toBe(200);
      expect((await d.fetchLink(link.body.value)).body.equals(evidence)).toBe(true);
    });

    it('should list processes with pid, command line and the sha256 of the executable', async () => {
      const sleeper = d.device.spawn(['sleep', '4242']);
      try {
        const hostPid = await waitFor('sleep to run', () => d.device.pidsRunning('sleep', '4242')[0], 10_000);
        const { output } = await completes('processes');
        // A line per process, its executable and sha256 on the line after it.
        const lines = output.split('\n');
        const at = lines.findIndex((l) => l.includes('sleep 4242'));
        expect(at, output.slice(0, 2000)).toBeGreaterThanOrEqual(0);
        expect(lines[at]).toContain(String(devicePid(hostPid)));
        expect(lines[at + 1]).toContain(sha256(await readFile(d.device.path(readlinkSync(`/proc/${hostPid}/exe`)))));
        expect((await completes(`processes -pid ${devicePid(hostPid)} -output json`)).output).toContain('4242');
      } finally {
        sleeper.child.kill('SIGKILL');
      }
    });

    it('should list a listening socket with its owning process under connections', async () => {
      const port = 40_000 + Math.floor(Math.random() * 10_000);
      const listener = d.device.spawn([process.execPath, '-e', `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('ready'))`]);
      try {
        await waitFor('the listener', () => (listener.output().includes('ready') ? true : undefined), 10_000);
        const hostPid = d.device.pidsRunning(process.execPath, '-e').find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(String(port)))!;
        const { output } = await completes('connections');
        const line = output.split('\n').find((l) => l.includes(`127.0.0.1:${port}`));
        expect(line, output.slice(0, 2000)).toBeDefined();
        expect(line).toContain(String(devicePid(hostPid)));
      } finally {
        listener.child.kill('SIGKILL');
      }
    });

    it('should show a planted cron entry under persistence', async () => {
      await mkdir(d.device.path('/etc/cron.d'), { recursive: true });
      await writeFile(d.device.path(`/etc/cron.d/cordon-${tag()}`), `* * * * * root /tmp/evil-${tag()}.sh\n`);
      expect((await completes('persistence')).output).toContain(`evil-${tag()}.sh`);
    });

    it('should put a library file into the current directory, and refuse to overwrite it without -overwrite', async () => {
      const content = `payload-${randomBytes(6).toString('hex')}\n`;
      expect(await d.upload(`put-${tag()}.txt`, content)).toBe(200);
      const { command } = await completes(`putfile put-${tag()}.txt`);
      expect(await readFile(d.device.path(`/tmp/console-${tag()}/put-${tag()}.txt`), 'utf8')).toBe(content);
      expect((await d.api.action(command.machineActionId!)).status).toBe('Succeeded');
      expect((await runLine(`putfile put-${tag()}.txt`)).command.status).toBe('Failed');
      await completes(`putfile put-${tag()}.txt -overwrite`);
    });

    it('should run a library script with parameters and stream its output', async () => {
      expect(await d.upload(`console-${tag()}.sh`, '#!/bin/sh\necho "hello $1 $2"\npwd\n', { HasParameters: 'true' })).toBe(200);
      const { command, output } = await completes(`run console-${tag()}.sh -parameters "big world"`);
      expect(output).toContain('hello big world');
      expect(output).toContain(`/tmp/console-${tag()}`);
      expect(command.exitCode).toBe(0);
      const action = await d.api.action(command.machineActionId!);
      expect(action).toMatchObject({ type: 'LiveResponse', requestSource: 'LiveResponseSession', status: 'Succeeded' });
    });

    it('should suspend and kill a process by pid; pid 1 is refused', async () => {
      const victim = d.device.spawn(['sleep', '4343']);
      try {
        const hostPid = await waitFor('sleep to run', () => d.device.pidsRunning('sleep', '4343')[0], 10_000);
        await completes(`suspend ${devicePid(hostPid)}`);
        await waitFor('the process to stop', () => (processState(hostPid) === 'T' ? true : undefined), 5_000);
        await completes(`kill ${devicePid(hostPid)}`);
        await waitFor('the process to be gone', () => (d.device.pidsRunning('sleep', '4343').length === 0 ? true : undefined), 5_000);
        expect((await runLine('kill 1')).command.status).toBe('Failed');
      } finally {
        victim.child.kill('SIGKILL');
      }
    });

    it('should remediate a running file: the process killed and the file quarantined; and a process by pid', async () => {
      const path = `/tmp/console-${tag()}/copied-sleep`;
      await copyFile(d.device.path('/usr/bin/sleep'), d.device.path(path));
      await chmod(d.device.path(path), 0o755);
      const runner = d.device.spawn([path, '4444']);
      try {
        await waitFor('the copy to run', () => d.device.pidsRunning(path, '4444')[0], 10_000);
        const { command } = await completes(`remediate file ${path}`);
        await waitFor('the copy to be gone', () => (d.device.pidsRunning(path, '4444').length === 0 ? true : undefined), 5_000);
        await expect(stat(d.device.path(path))).rejects.toThrow();
        expect((await d.api.action(command.machineActionId!)).status).toBe('Succeeded');
      } finally {
        runner.child.kill('SIGKILL');
      }
      const other = d.device.spawn(['sleep', '4545']);
      try {
        const hostPid = await waitFor('sleep to run', () => d.device.pidsRunning('sleep', '4545')[0], 10_000);
        await completes(`remediate process ${devicePid(hostPid)}`);
        await waitFor('the process to be gone', () => (d.device.pidsRunning('sleep', '4545').length === 0 ? true : undefined), 5_000);
      } finally {
        other.child.kill('SIGKILL');
      }
    });

    it('should scan a path and report the EICAR file in it', async () => {
      const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
      await mkdir(d.device.path(`/tmp/console-${tag()}/scanme`), { recursive: true });
      await writeFile(d.device.path(`/tmp/console-${tag()}/scanme/eicar.com`), eicar);
      const { output } = await completes(`scan /tmp/console-${tag()}/scanme`, 180_000);
      expect(output).toMatch(/eicar/i);
    }, 240_000);

    it('should collect an investigation package as the session result, with the documented folders', async () => {
      const { command } = await completes('collect', 180_000);
      expect(command.resultFile?.size).toBeGreaterThan(0);
      const link = await d.api.call('GET', `/api/machineactions/${command.machineActionId}/GetLiveResponseResultDownloadLink(index=0)`);
      expect(link.status, JSON.stringify(link.body)).toBe(200);
      const zip = (await d.fetchLink(link.body.value)).body;
      expect(sha256(zip)).toBe(command.resultFile!.sha256);
      const file = `${d.dir}/console-collect.zip`;
      await writeFile(file, zip);
      expect(run(['unzip', '-l', file]).stdout).toMatch(/Processes/);
    }, 240_000);

    it('should run a command in the background, list it under jobs, and cancel it (its process gone)', async () => {
      expect(await d.upload(`console-long-${tag()}.sh`, `#!/bin/sh\necho started\nexec sleep 4646\n`)).toBe(200);
      const started = await send(`run console-long-${tag()}.sh &`);
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      expect(started.body.background).toBe(true);
      await waitFor('the script to run', () => d.device.pidsRunning('sleep', '4646')[0], 20_000, 100);
      await waitFor('its first output', async () => ((await output(started.body.id)).includes('started') ? true : undefined), 10_000, 100);
      expect((await completes('jobs')).output).toContain(`console-long-${tag()}.sh`);
      const cancel = await d.api.call('POST', `${SESSIONS}/${session}/commands/${started.body.id}/cancel`, {});
      expect(cancel.status, JSON.stringify(cancel.body)).toBeLessThan(300);
      const ended = await waitFor('the command to end', async () => {
        const r = await d.api.call('GET', `${SESSIONS}/${session}/commands/${started.body.id}`);
        return FINAL.includes(r.body.status) ? r.body : undefined;
      }, 15_000, 100);
      expect(ended.status).toBe('Cancelled');
      await waitFor('the script process to be gone', () => (d.device.pidsRunning('sleep', '4646').length === 0 ? true : undefined), 10_000);
      expect((await d.api.action(ended.machineActionId)).status).toBe('Cancelled');
    }, 60_000);

    it('should answer status, fg and trace about the session\'s own commands', async () => {
      const { command } = await completes(`findfile planted.txt -root /tmp/console-${tag()}`);
      expect((await completes(`status ${command.id}`)).output).toContain(`[${command.id}] findfile planted.txt -root /tmp/console-${tag()}: Completed`);
      expect((await completes(`fg ${command.id}`)).output).toContain(`/tmp/console-${tag()}/planted.txt`);
      expect((await runLine('status 99999')).command.status).toBe('Failed');
      await completes('trace on');
      expect((await completes('dir /etc')).output).toMatch(/\[trace\] command \d+ Completed after \d+ ms/);
      await completes('trace off');
      expect((await completes('dir /etc')).output).not.toContain('[trace]');
    });

    it('should stream the session as events in order, and resume after Last-Event-ID without loss', async () => {
      const { command } = await completes('dir /etc');
      const marker = `"commandId":${command.id}`;
      const all = await d.readEvents(`${SESSIONS}/${session}/events`, (events) => events.some((e) => e.event === 'command' && e.data.includes(`"id":${command.id},`) && /"status":"Completed"/.test(e.data)));
      expect(all.length).toBeGreaterThan(3);
      const ids = all.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect(all.some((e) => e.event === 'output' && e.data.includes(marker))).toBe(true);
      // From the middle: exactly the events after it, the same ones.
      const middle = all[Math.floor(all.length / 2)]!;
      const rest = await d.readEvents(`${SESSIONS}/${session}/events`, (events) => events.length >= all.length - all.indexOf(middle) - 1, { 'last-event-id': middle.id });
      expect(rest.slice(0, all.length - all.indexOf(middle) - 1).map((e) => e.id)).toEqual(all.slice(all.indexOf(middle) + 1).map((e) => e.id));

      const transcript = await d.api.call('GET', `${SESSIONS}/${session}/transcript`);
      expect(transcript.status).toBe(200);
      for (const line of ['help', 'dir', 'processes', `getfile /tmp/console-${tag()}/evidence.bin`]) expect(String(transcript.body)).toContain(line);
    });

    it('should close the session, and then let a new one open', async () => {
      expect((await d.api.call('DELETE', `${SESSIONS}/${session}`)).status).toBeLessThan(300);
      const closed = await d.api.call('GET', `${SESSIONS}/${session}`);
      expect(closed.body).toMatchObject({ state: 'Closed', closeReason: 'ClosedByUser' });
      const again = await d.api.call('POST', SESSIONS, { machineId: d.machineId });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      session = again.body.id;
    });

    it('should fail to open a session on an offline device within seconds, with a clear error', async () => {
      expect((await d.api.call('DELETE', `${SESSIONS}/${session}`)).status).toBeLessThan(300);
      session = '';
      await d.stopAgent();
      try {
        const offline = await d.api.call('POST', SESSIONS, { machineId: d.machineId });
        expect(offline.status).toBeGreaterThanOrEqual(400);
        expect(offline.status).toBeLessThan(500);
        expect(JSON.stringify(offline.body)).toMatch(/not connected|offline|did not answer/i);
      } finally {
        await d.startAgent();
      }
    }, 60_000);
  });
}

/**
 * The live response console in a real browser: Chromium against a real `cordon server` and a real
 * `cordon agent`. A person opens a session from the device page, lists a directory and the
 * processes (tables), completes with Tab, recalls with ↑, downloads a getfile result, cancels a long
 * command with Ctrl-C, reloads and finds the session and its output again, and closes it. A second
 * person is refused the device's session by name, and an offline device is refused in seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { stop, type Proc } from './support/cluster.js';
import { createUser, USER, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, PHONE, shot, startWebFixture, type WebFixture } from './support/web-fixture.js';

const HOST = 'console-e2e-host';
const FIND = 'findfile no-such-file-anywhere-* -root /';
const OTHER = { name: 'e2e-second', displayName: 'Sam Second', password: 'e2e password 5678' };

describe('live response console in a real browser', () => {
  let fx: WebFixture;
  let page: Page;
  let machineId = '';
  let agent: Proc;

  const input = () => page.getByRole('textbox', { name: /^Command/ });
  const log = () => page.getByRole('log', { name: 'Console output' });
  const entry = (commandLine: string): Locator => log().locator('.console-entry').filter({ has: page.locator('.console-typed', { hasText: new RegExp(`^${commandLine.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) }).last();
  const type = async (commandLine: string) => {
    await input().fill(commandLine);
    await input().press('Enter');
    await entry(commandLine).waitFor();
  };
  const finished = async (commandLine: string, status = 'Completed') => {
    await entry(commandLine).and(page.locator(`[data-status="${status}"]`)).waitFor();
    return entry(commandLine);
  };

  beforeAll(async () => {
    fx = await startWebFixture();
    agent = await fx.startAgent(HOST);
    await createUser(fx.serverEnv, { ...OTHER, roles: 'all' });
    // A script that runs until cancelled, for Ctrl-C (multipart by hand: the test's Api sends text).
    const boundary = 'cordon-e2e-boundary';
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="File"; filename="sleeper.sh"\r\nContent-Type: application/octet-stream\r\n\r\n#!/bin/sh\necho started\nsleep 600\n\r\n--${boundary}--\r\n`;
    const upload = await fx.api.call('POST', '/api/libraryfiles', part, `multipart/form-data; boundary=${boundary}`);
    expect(upload.status, JSON.stringify(upload.body)).toBe(200);
    const machines = (await fx.api.call('GET', `/api/machines?$filter=${encodeURIComponent(`computerDnsName eq '${HOST}'`)}`)).body.value as Array<{ id: string }>;
    machineId = machines[0]!.id;
    page = await fx.signedInPage();
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('should open a session from the device page and show it Active, opened by the person', async () => {
    await page.goto(`${fx.base}/#/devices/${machineId}`);
    await page.getByRole('link', { name: 'Initiate live response session' }).click();
    await page.getByRole('heading', { name: `Live response session: ${HOST}` }).waitFor();
    await page.locator('.console-session[data-state="Active"]').waitFor();
    expect(await page.locator('.console-session').textContent()).toContain(`opened by ${USER.displayName}`);
    expect(await input().isEnabled()).toBe(true);
    await expectNoA11yViolations(page, 'the live response console');
  }, 60_000);

  it('should list a directory as a table, and complete a path it listed with Tab', async () => {
    await type('dir /etc');
    const dir = await finished('dir /etc');
    const table = dir.getByRole('table');
    await table.waitFor();
    expect(await table.getByRole('cell', { name: 'hostname', exact: true }).count()).toBe(1);
    await input().fill('fileinfo /etc/hostn');
    await input().press('Tab');
    expect(await input().inputValue()).toBe('fileinfo /etc/hostname');
    await input().press('Enter');
    const info = await finished('fileinfo /etc/hostname');
    expect(await info.textContent()).toMatch(/[0-9a-f]{64}/);
  }, 60_000);

  it('should complete command names with Tab and show the processes as a table', async () => {
    await input().fill('proc');
    await input().press('Tab');
    expect(await input().inputValue()).toBe('processes ');
    await input().press('Enter');
    const processes = await finished('processes');
    expect(await processes.getByRole('row').count()).toBeGreaterThan(1);
    await shot(page, 'live-console');
  }, 60_000);

  it('should recall earlier lines with ↑ and come back with ↓', async () => {
    await input().fill('hel');
    await input().press('ArrowUp');
    expect(await input().inputValue()).toBe('processes');
    await input().press('ArrowUp');
    expect(await input().inputValue()).toBe('fileinfo /etc/hostname');
    await input().press('ArrowDown');
    await input().press('ArrowDown');
    expect(await input().inputValue()).toBe('hel');
  }, 60_000);

  it('should show -output json as JSON', async () => {
    await type('dir /etc -output json');
    const json = await finished('dir /etc -output json');
    const rows = JSON.parse((await json.locator('pre.console-json').textContent())!) as Array<{ name: string }>;
    expect(rows.some((r) => r.name === 'hostname')).toBe(true);
  }, 60_000);

  it('should show the server’s refusal of an unknown command in an alert', async () => {
    await input().fill('frobnicate now');
    await input().press('Enter');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe("Unknown command 'frobnicate'. Type help to list the commands");
  }, 60_000);

  it('should download a getfile result through its action', async () => {
    await type('getfile /etc/hostname');
    const got = await finished('getfile /etc/hostname');
    const [download] = await Promise.all([page.waitForEvent('download'), got.getByRole('button', { name: 'Download hostname' }).click()]);
    const saved = join(fx.dir, 'hostname.download');
    await download.saveAs(saved);
    expect(await readFile(saved, 'utf8')).toBe(await readFile('/etc/hostname', 'utf8'));
  }, 120_000);

  it('should complete a library script name after run', async () => {
    await input().fill('run sle');
    await input().press('Tab');
    expect(await input().inputValue()).toBe('run sleeper.sh');
    await input().fill('');
  }, 60_000);

  it('should cancel the running foreground command with Ctrl-C', async () => {
    // A search of the whole disk (hundreds of thousands of entries here) runs long enough to interrupt.
    await type(FIND);
    expect(await entry(FIND).getAttribute('data-status')).toBe('Running');
    await input().press('Control+c');
    await finished(FIND, 'Cancelled');
    // The hint says it is cancelling only while it is.
    await page.locator('.console-hint', { hasNotText: 'Cancelling' }).waitFor();
  }, 60_000);

  it('should rejoin the open session after a reload and show the earlier output again', async () => {
    await page.reload();
    await page.locator('.console-session[data-state="Active"]').waitFor();
    const dir = await finished('dir /etc');
    expect(await dir.getByRole('cell', { name: 'hostname', exact: true }).count()).toBe(1);
    await finished(FIND, 'Cancelled');
    // ↑ walks back through the rejoined session's lines, newest first.
    await input().press('ArrowUp');
    expect(await input().inputValue()).toBe(FIND);
    await input().fill('');
    const sessions = await fx.api.call('GET', `/api/cordon/liveresponse/sessions?machineId=${machineId}&state=Active`);
    expect((sessions.body.value ?? sessions.body).length).toBe(1);
  }, 60_000);

  it('should fit a phone in dark mode, wide tables scrolling inside the console', async () => {
    const phone = await fx.signedInPage({ viewport: PHONE, colorScheme: 'dark' });
    await phone.goto(`${fx.base}/#/devices/${machineId}/console`);
    await phone.locator('.console-entry[data-status="Completed"]').first().waitFor();
    await phone.getByRole('table').first().waitFor();
    await expectNoHorizontalScroll(phone, 'the console on a phone');
    await expectDarkBackground(phone, 'the console');
    await expectNoA11yViolations(phone, 'the console on a phone in dark mode');
    await shot(phone, 'live-console-phone-dark');
  }, 60_000);

  it('should refuse a second person the device’s session, naming who holds it', async () => {
    const other = await fx.signedInPage({ user: OTHER });
    await other.goto(`${fx.base}/#/devices/${machineId}/console`);
    await other.getByRole('alert').waitFor();
    expect(await other.getByRole('alert').textContent()).toContain(`already has a live response session open by ${USER.displayName}`);
    await expectNoA11yViolations(other, 'the console refused');
  }, 60_000);

  it('should close the session with the Close button', async () => {
    await page.getByRole('button', { name: 'Close session' }).click();
    await page.locator('.console-session[data-state="Closed"]').waitFor();
    expect(await page.locator('.console-session').textContent()).toContain('closed by a person');
    expect(await input().isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Start a new session' }).waitFor();
    // The transcript names who ran what, with each command's status.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download transcript' }).click()]);
    const saved = join(fx.dir, 'transcript.txt');
    await download.saveAs(saved);
    const transcript = await readFile(saved, 'utf8');
    expect(transcript).toContain(USER.displayName);
    expect(transcript).toContain('dir /etc');
    expect(transcript).toContain(FIND);
  }, 60_000);

  it('should refuse a session on an offline device within seconds, with the server’s message', async () => {
    // Once the agent process is gone its connection is closed: the server knows it is offline.
    await stop(agent);
    await page.getByRole('button', { name: 'Start a new session' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/offline|not connected|connect/i);
  }, 60_000);
});

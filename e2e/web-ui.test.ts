/**
 * The web UI in a real browser: Debian's Chromium driven by playwright-core against a real `cordon
 * server` process (self-signed TLS, SQLite) and a real `cordon agent` on the fake platform.
 * A person signs in, finds the device, isolates it and watches the action go Pending → Succeeded
 * without reloading, releases it, cancels a long scan, collects an investigation package and
 * downloads it. Screenshots of the main pages go to artifacts/screenshots (gitignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Api } from './support/cluster.js';
import { expectNoA11yViolations, SHOTS, startWebFixture, USER, type WebFixture } from './support/web-fixture.js';

const HOST = 'web-e2e-host';

/** Records every status each action row shows, so a test can assert the live sequence. */
async function watchRowStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { __statuses: typeof seen }).__statuses = seen;
    const scan = () => {
      for (const row of document.querySelectorAll<HTMLElement>('tr[data-action-id]')) {
        const id = row.dataset.actionId!;
        const status = row.dataset.status!;
        const list = (seen[id] ??= []);
        if (list[list.length - 1] !== status) list.push(status);
      }
    };
    scan();
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
}

const statusesOf = (page: Page, id: string) => page.evaluate((actionId) => (window as unknown as { __statuses: Record<string, string[]> }).__statuses[actionId] ?? [], id);

describe('web UI in a real browser', () => {
  let fx: WebFixture;
  let dir: string;
  let base: string;
  let api: Api;
  let page: Page;
  let collectActionId = '';

  beforeAll(async () => {
    fx = await startWebFixture();
    ({ dir, base, api, page } = fx);
    await fx.startAgent(HOST, {
      // Slow enough that a person sees the action in flight; the scan runs long enough to cancel.
      CORDON_FAKE_DELAY_MS: '1500',
      CORDON_FAKE_DELAYS: JSON.stringify({ RunAntiVirusScan: 120_000 }),
    });
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('should sign in and list the agent device', async () => {
    await page.goto(base);
    await page.screenshot({ path: join(SHOTS, 'sign-in.png') });
    await page.getByLabel('User name').fill(USER.name);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Wrong user name or password');
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The dashboard is the first page; the devices list is one click away.
    await page.getByRole('heading', { name: 'Security operations' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    await page.getByRole('link', { name: HOST }).waitFor();
    expect(await page.locator('header .who').textContent()).toBe(USER.displayName);
    await page.screenshot({ path: join(SHOTS, 'devices.png') });
    await expectNoA11yViolations(page, 'the devices page');
  }, 60_000);

  it('should isolate the device and show the action go from in flight to Succeeded live, then release it', async () => {
    await page.getByRole('link', { name: HOST }).click();
    await page.getByRole('heading', { name: HOST }).waitFor();
    await page.getByText('Live updates on').waitFor();
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await watchRowStatuses(page);

    await page.getByRole('button', { name: 'Isolate device' }).click();
    const dialog = page.getByRole('dialog', { name: 'Isolate device' });
    await dialog.getByLabel('Selective').check();
    await dialog.getByLabel('Full').check();
    await dialog.getByLabel('Comment (required)').fill('e2e: contain the host');
    await page.screenshot({ path: join(SHOTS, 'isolate-dialog.png') });
    await dialog.getByRole('button', { name: 'Confirm' }).click();

    const row = page.locator('tr[data-action-id]', { hasText: 'e2e: contain the host' });
    const id = (await row.getAttribute('data-action-id'))!;
    await page.locator(`tr[data-action-id="${id}"][data-status="Succeeded"]`).waitFor();
    // The row may first appear as InProgress: the agent can take the action (an event on the page's
    // stream) before the POST that created it answers. What must hold is that the page showed it in
    // flight and then Succeeded without a reload, never going back.
    const seen = await statusesOf(page, id);
    expect(['Pending,InProgress,Succeeded', 'InProgress,Succeeded', 'Pending,Succeeded']).toContain(seen.join(','));
    expect(await row.locator('td.requestor').textContent()).toBe(USER.displayName); // requestor is the person
    expect((await api.action(id)).requestor).toBe(USER.displayName);
    await page.getByRole('button', { name: 'Release from isolation' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'device-isolated.png'), fullPage: true });

    await page.getByRole('button', { name: 'Release from isolation' }).click();
    const release = page.getByRole('dialog', { name: 'Release from isolation' });
    await release.getByLabel('Comment (required)').fill('e2e: release');
    await release.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('tr[data-status="Succeeded"]', { hasText: 'e2e: release' }).waitFor();
    await page.getByRole('button', { name: 'Isolate device' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  }, 60_000);

  it('should cancel a running scan from the Action center and show Cancelled live', async () => {
    await page.getByRole('button', { name: 'Run antivirus scan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run antivirus scan' });
    await dialog.getByLabel('Full').check();
    await dialog.getByLabel('Comment (required)').fill('e2e: long scan');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('tr[data-status="InProgress"]', { hasText: 'e2e: long scan' }).waitFor();

    await page.getByRole('link', { name: 'Action center', exact: true }).first().click();
    await page.getByRole('heading', { name: 'All actions' }).waitFor();
    await page.getByText('Live updates on').waitFor();
    const row = page.locator('tr[data-action-id]', { hasText: 'e2e: long scan' });
    await row.getByRole('button', { name: 'Cancel' }).click();
    const dialog2 = page.getByRole('dialog', { name: /^Cancel/ });
    await dialog2.getByLabel('Comment (required)').fill('e2e: not needed');
    await dialog2.getByRole('button', { name: 'Cancel action' }).click();
    await page.locator('tr[data-status="Cancelled"]', { hasText: 'e2e: long scan' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'action-center.png'), fullPage: true });
  }, 60_000);

  it('should collect an investigation package and offer it for download', async () => {
    await page.getByRole('link', { name: HOST }).first().click();
    await page.getByRole('heading', { name: HOST }).waitFor();
    await page.getByRole('button', { name: 'Collect investigation package' }).click();
    const dialog = page.getByRole('dialog', { name: 'Collect investigation package' });
    await dialog.getByLabel('Comment (required)').fill('e2e: collect');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const row = page.locator('tr[data-action-id]', { hasText: 'e2e: collect' });
    collectActionId = (await row.getAttribute('data-action-id'))!;
    await page.locator(`tr[data-action-id="${collectActionId}"][data-status="Succeeded"]`).waitFor();
    await row.getByRole('button', { name: 'Download package' }).waitFor();
  }, 60_000);

  it('should download the collected package', async () => {
    expect(collectActionId).not.toBe('');
    const row = page.locator(`tr[data-action-id="${collectActionId}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download package' }).click()]);
    const saved = join(dir, 'package.zip');
    await download.saveAs(saved);
    const bytes = await readFile(saved);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  }, 60_000);

  it('should open the live response page with the command builder in PutFile → RunScript → GetFile order', async () => {
    // The device's button opens the console (web-console.test.ts); the batch form is one link on.
    await page.getByRole('link', { name: 'Initiate live response session' }).click();
    await page.getByRole('link', { name: 'Run a batch of commands instead' }).click();
    await page.getByRole('heading', { name: `Live response: ${HOST}` }).waitFor();
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await page.getByLabel('Library script').fill('collect.sh');
    await page.getByLabel('Comment (required)').fill('e2e: live');
    expect(await run.isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Add command' }).click();
    await page.locator('ol.commands select').nth(1).selectOption('PutFile');
    expect(await page.getByText('Put the commands in the order Put file → Run script → Get file.').isVisible()).toBe(true);
    expect(await run.isEnabled()).toBe(false);
    await page.locator('ol.commands select').nth(1).selectOption('GetFile');
    await page.getByLabel('Path on the device').fill('/var/log/syslog');
    expect(await run.isEnabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'live-response.png'), fullPage: true });
  }, 60_000);
  it('should create an agent package on the Onboarding page and show the one-liner pinning the server and the download links', async () => {
    await page.getByRole('link', { name: 'Onboarding' }).click();
    await page.getByRole('heading', { name: 'Onboarding' }).waitFor();
    await page.getByLabel('Devices that may enroll').fill('3');
    await page.getByLabel('Expires after (hours)').fill('2');
    await page.getByRole('button', { name: 'Create package' }).click();
    await page.getByRole('heading', { name: 'Install on devices' }).waitFor();
    const command = (await page.locator('pre code').textContent())!;
    // The server serves self-signed TLS here: the one-liner pins its key instead of trusting a CA.
    expect(command).toMatch(new RegExp(`^curl -fsSL -k --pinnedpubkey 'sha256//[A-Za-z0-9+/=]+' '${base.replace(/[.]/g, '\\.')}/cordon/agent-install/[^/']+/install\\.sh' \\| sudo sh$`));
    expect(await page.getByText('For 3 devices').isVisible()).toBe(true);
    const deb = (await page.getByRole('link', { name: 'cordon-agent.deb' }).getAttribute('href'))!;
    expect(deb.startsWith(`${base}/cordon/agent-install/`)).toBe(true);
    // The installer link works without the session: the secret is the authorization.
    const script = await page.evaluate(async (url) => (await fetch(url, { credentials: 'omit' })).text(), deb.replace('cordon-agent.deb', 'install.sh'));
    expect(script.startsWith('#!/bin/sh')).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'onboarding.png'), fullPage: true });
  }, 60_000);
});

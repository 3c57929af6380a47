/**
 * The devices list against a real server with three fake agents: filters chosen by their human
 * labels and kept in the URL (reload keeps them, Back restores the previous ones), bulk tag and scan
 * with each device's outcome (one device's call made to fail), CSV export of the filtered list,
 * an error state with Retry when requests fail, and a row that changes without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { DESKTOP, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, PHONE, shot, startWebFixture, type WebFixture } from './support/web-fixture.js';

const HOSTS = ['fleet-a', 'fleet-b', 'fleet-c'];

describe('devices list', () => {
  let fx: WebFixture;
  let page: Page;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // The fixture's onboarding package enrolls one device unless told otherwise.
    fx = await startWebFixture({ serverEnv: { CORDON_ENROLL_MAX_USES: String(HOSTS.length) } });
    for (const h of HOSTS) await fx.startAgent(h);
    const list = await fx.api.call('GET', '/api/machines');
    for (const m of (list.body as { value: { id: string; computerDnsName: string }[] }).value) ids[m.computerDnsName] = m.id;
    page = await fx.signedInPage({ viewport: DESKTOP });
  }, 240_000);

  afterAll(async () => {
    await fx?.close();
  });

  const waitRows = (names: string[]) =>
    page.waitForFunction(
      (want) => JSON.stringify([...document.querySelectorAll<HTMLElement>('table.devices tbody tr[data-device]')].map((r) => r.dataset.device).sort()) === JSON.stringify(want),
      [...names].sort(),
    );

  it('should offer human labels in the filters and keep them in the URL across reload and Back', async () => {
    await page.goto(`${fx.base}/#/devices`);
    await waitRows(HOSTS);
    const health = page.getByLabel('Health');
    const healthOptions = await health.locator('option').allTextContents();
    expect(healthOptions).toContain('No sensor data, impaired communication');
    expect(healthOptions).not.toContain('NoSensorDataImpairedCommunication');
    expect(await page.getByLabel('Isolation').locator('option').allTextContents()).toContain('Not isolated');
    expect(await page.locator('table.devices tbody td').allTextContents()).not.toContain('NotIsolated');
    // Times carry their zone.
    expect(await page.locator('table.devices tbody td.time').first().textContent()).toMatch(/\d{2}:\d{2}:\d{2} \S+$/);

    await health.selectOption({ label: 'Active' });
    await page.waitForURL(/health=Active/);
    await page.getByLabel('Last seen within').selectOption({ label: 'Last hour' });
    await page.waitForURL(/seen=1h/);
    await page.getByRole('button', { name: /Last seen/ }).click();
    await page.waitForURL(/sort=lastSeen\+asc|sort=lastSeen%20asc/);
    await waitRows(HOSTS);

    await page.reload();
    await waitRows(HOSTS);
    expect(await page.getByLabel('Health').inputValue()).toBe('Active');
    expect(await page.getByLabel('Last seen within').inputValue()).toBe('1h');
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Last seen');

    await page.getByLabel('Isolation').selectOption({ label: 'Isolated' });
    await page.waitForURL(/isolation=Isolated/);
    await page.getByText('No devices match.').waitFor();
    await page.goBack();
    await waitRows(HOSTS);
    expect(await page.getByLabel('Isolation').inputValue()).toBe('');
    expect(page.url()).not.toContain('isolation=');
    expect(await page.getByLabel('Health').inputValue()).toBe('Active');
    await expectNoA11yViolations(page, 'the filtered devices list');
  }, 90_000);

  it('should add a tag to the selected devices, one call each, and show each outcome', async () => {
    await page.goto(`${fx.base}/#/devices`);
    await waitRows(HOSTS);
    await page.getByLabel('Select fleet-a').check();
    await page.getByLabel('Select fleet-b').check();
    await page.getByRole('toolbar', { name: 'Selected devices' }).getByText('2 devices selected').waitFor();
    await page.getByRole('button', { name: 'Add tag' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add tag on 2 devices' });
    expect(await dialog.locator('li[data-device]').evaluateAll((li) => li.map((l) => (l as HTMLElement).dataset.device))).toEqual(['fleet-a', 'fleet-b']);
    await dialog.getByLabel('Tag').fill('bulk-e2e');
    await shot(page, 'devices-bulk-tag-dialog');
    await dialog.getByRole('button', { name: 'Add tag' }).click();
    await dialog.getByText('Done on all 2 devices.').waitFor();
    for (const h of ['fleet-a', 'fleet-b']) expect(await dialog.locator(`li[data-device="${h}"]`).getAttribute('data-outcome')).toBe('done');
    for (const h of ['fleet-a', 'fleet-b']) expect((await fx.api.call('GET', `/api/machines/${ids[h]}`)).body.machineTags).toContain('bulk-e2e');
    expect((await fx.api.call('GET', `/api/machines/${ids['fleet-c']}`)).body.machineTags).not.toContain('bulk-e2e');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.locator('tr[data-device="fleet-a"] td.tags', { hasText: 'bulk-e2e' }).waitFor();
  }, 60_000);

  it('should run a scan on three devices and show the one that failed with its reason', async () => {
    // One device's request fails as the server would refuse it; the other two go through.
    await page.route(`**/api/machines/${ids['fleet-c']}/runAntiVirusScan`, (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ResourceNotFound', message: 'Machine fleet-c was not found', target: 'x' } }) }),
    );
    await page.getByLabel('Select fleet-c').check();
    await page.getByRole('button', { name: 'Run antivirus scan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run antivirus scan on 3 devices' });
    await dialog.getByLabel('Full scan').check();
    await dialog.getByLabel('Comment (required)').fill('e2e: bulk scan');
    await dialog.getByRole('button', { name: 'Run antivirus scan' }).click();
    await dialog.getByText('2 of 3 done; 1 failed.').waitFor();
    expect(await dialog.locator('li[data-device="fleet-c"]').textContent()).toContain('Failed: Machine fleet-c was not found');
    for (const h of ['fleet-a', 'fleet-b']) {
      expect(await dialog.locator(`li[data-device="${h}"]`).getAttribute('data-outcome')).toBe('done');
      expect(await dialog.locator(`li[data-device="${h}"]`).textContent()).toContain('Antivirus scan submitted');
    }
    await shot(page, 'devices-bulk-scan-results');
    await expectNoA11yViolations(page, 'the bulk scan results');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.unroute(`**/api/machines/${ids['fleet-c']}/runAntiVirusScan`);
    const actions = await fx.api.call('GET', `/api/machineactions?$filter=type eq 'RunAntiVirusScan'`);
    const scanned = (actions.body as { value: { machineId: string; requestorComment: string }[] }).value.filter((a) => a.requestorComment === 'e2e: bulk scan').map((a) => a.machineId);
    expect(scanned.sort()).toEqual([ids['fleet-a'], ids['fleet-b']].sort());
  }, 60_000);

  it('should export the filtered list as CSV', async () => {
    await page.goto(`${fx.base}/#/devices?tag=bulk-e2e`);
    await waitRows(['fleet-a', 'fleet-b']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('Device name,Device id,OS,IP address,Health,Isolation,App execution,Tags,Last seen (UTC)');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['fleet-a', 'fleet-b']);
    for (const l of lines.slice(1)) expect(l).toMatch(/,Active,Not isolated,Not restricted,bulk-e2e,/);
    await page.getByText('Exported 2 devices.').waitFor();
  }, 60_000);

  it('should show an error with Retry when the server cannot be reached, and recover', async () => {
    await page.route('**/api/machines?**', (route) => route.abort('connectionrefused'));
    await page.goto(`${fx.base}/#/devices`);
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot load the devices' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Cannot reach the server');
    await shot(page, 'devices-error-retry');
    await expectNoA11yViolations(page, 'the devices error state');
    await page.unroute('**/api/machines?**');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await waitRows(HOSTS);
    expect(await alert.count()).toBe(0);
  }, 60_000);

  it('should show a device change without a reload', async () => {
    await page.goto(`${fx.base}/#/devices`);
    await waitRows(HOSTS);
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const res = await fx.api.call('POST', `/api/machines/${ids['fleet-b']}/isolate`, { Comment: 'e2e: live list', IsolationType: 'Full' });
    expect(res.status).toBe(201);
    await page.locator('tr[data-device="fleet-b"] td', { hasText: /^Isolated$/ }).waitFor({ timeout: 45_000 });
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  }, 90_000);

  it('should fit the list and the bulk bar on a phone, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const phone = await fx.signedInPage({ viewport: PHONE, colorScheme: scheme });
      await phone.goto(`${fx.base}/#/devices`);
      await phone.locator('tr[data-device="fleet-a"]').waitFor();
      await phone.getByLabel('Select fleet-a').check();
      await phone.getByRole('toolbar', { name: 'Selected devices' }).waitFor();
      await expectNoHorizontalScroll(phone, `devices with a selection on a phone (${scheme})`);
      if (scheme === 'dark') await expectDarkBackground(phone, 'devices (dark)');
      await expectNoA11yViolations(phone, `devices with a selection on a phone (${scheme})`);
      await shot(phone, `devices-phone-${scheme}`);
    }
  }, 90_000);
});

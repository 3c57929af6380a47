/**
 * The security operations dashboard in a real browser, over real data: a fake-platform agent whose
 * scan really finds the EICAR file (CORDON_FAKE_SCAN_PATHS), which is then isolated and fails a
 * package collection, and a stopped agent with a Pending action. Every number on the page equals the API's count and
 * every link lands on the list it counts. Saves dashboard.png (desktop, with data) for the README.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { stop, waitFor, type Api, type Proc } from './support/cluster.js';
import { EICAR } from './support/eicar.js';
import { DESKTOP, PHONE, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, shot, startWebFixture, type WebFixture } from './support/web-fixture.js';

async function machineId(api: Api, name: string): Promise<string> {
  return waitFor(`machine ${name}`, async () => {
    const r = await api.call('GET', `/api/machines?$filter=computerDnsName eq '${name}'`);
    return (r.body?.value?.[0]?.id as string | undefined) ?? undefined;
  });
}

async function count(api: Api, collection: string, filter: string): Promise<number> {
  const r = await api.call('GET', `/api/${collection}?$filter=${encodeURIComponent(filter)}&$top=0&$count=true`);
  if (r.status !== 200) throw new Error(`count ${collection} ${filter}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body['@odata.count'] as number;
}

/** The number a dashboard link shows, by its href. */
async function linkNumber(page: Page, hrefValue: string): Promise<number> {
  const text = await page.locator(`a[href="${hrefValue}"]`).first().innerText();
  return Number(/\d+/.exec(text)?.[0] ?? NaN);
}

describe('the dashboard', () => {
  let fx: WebFixture;
  let api: Api;
  let offline: Proc;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // The onboarding package enrolls one device by default; this test runs two.
    fx = await startWebFixture({ serverEnv: { CORDON_INACTIVE_AFTER_SECONDS: '10', CORDON_HEALTH_CHECK_SECONDS: '1', CORDON_ENROLL_MAX_USES: '5' } });
    api = fx.api;
    const infected = join(fx.dir, 'infected');
    await mkdir(infected, { recursive: true });
    await writeFile(join(infected, 'eicar.com'), EICAR);
    await fx.startAgent('dash-infected', { CORDON_FAKE_SCAN_PATHS: infected, CORDON_FAKE_FAIL: 'CollectInvestigationPackage' });
    offline = await fx.startAgent('dash-offline');
    for (const name of ['dash-infected', 'dash-offline']) ids[name] = await machineId(api, name);

    // A real detection: the scan finds EICAR and the server raises an alert for it.
    const scan = await api.call('POST', `/api/machines/${ids['dash-infected']}/runAntiVirusScan`, { Comment: 'dashboard e2e', ScanType: 'Quick' });
    await api.waitStatus(scan.body.id, ['Succeeded'], 30_000);
    await waitFor('the EICAR alert', async () => ((await count(api, 'alerts', `machineId eq '${ids['dash-infected']}'`)) > 0 ? true : undefined), 20_000);

    // Contained: isolated; and an action that fails.
    const iso = await api.call('POST', `/api/machines/${ids['dash-infected']}/isolate`, { Comment: 'dashboard e2e', IsolationType: 'Full' });
    await api.waitStatus(iso.body.id, ['Succeeded']);
    const failed = await api.call('POST', `/api/machines/${ids['dash-infected']}/collectInvestigationPackage`, { Comment: 'dashboard e2e' });
    await api.waitStatus(failed.body.id, ['Failed']);

    // Offline with a Pending action.
    await stop(offline);
    await waitFor('the stopped agent to go Inactive', async () => ((await count(api, 'machines', `id eq '${ids['dash-offline']}' and healthStatus eq 'Inactive'`)) === 1 ? true : undefined), 40_000, 500);
    const pending = await api.call('POST', `/api/machines/${ids['dash-offline']}/collectInvestigationPackage`, { Comment: 'waits for the device' });
    expect(pending.body.status).toBe('Pending');
  }, 240_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('should be the first page after sign-in, with the API counts, and links into filtered lists', async () => {
    const page = await fx.signedInPage();
    await page.getByRole('heading', { name: 'Security operations' }).waitFor();
    expect(await page.evaluate(() => window.location.hash)).toMatch(/^(#\/?)?$/);
    await page.getByRole('link', { name: 'dash-infected' }).first().waitFor();

    // Open alerts: the API's counts, by severity and status.
    const medNew = await count(api, 'alerts', "severity eq 'Medium' and status eq 'New'");
    expect(medNew).toBeGreaterThan(0);
    expect(await linkNumber(page, '#/alerts?severity=Medium&status=New')).toBe(medNew);
    expect(await linkNumber(page, '#/alerts?severity=High&status=New')).toBe(await count(api, 'alerts', "severity eq 'High' and status eq 'New'"));
    expect(Number(await page.locator('#dash-alerts .dash-total').innerText())).toBe(await count(api, 'alerts', "status ne 'Resolved'"));
    // Contained devices, failed actions, pending on offline devices.
    expect(await linkNumber(page, '#/devices?isolation=Isolated')).toBe(await count(api, 'machines', "isolationState eq 'Isolated'"));
    expect(await linkNumber(page, '#/devices?isolation=Isolated')).toBe(1);
    expect(await linkNumber(page, '#/devices?restricted=true')).toBe(await count(api, 'machines', 'isRestricted eq true'));
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    expect(Number(await page.locator('#dash-failed .dash-total').innerText())).toBe(await count(api, 'machineactions', `status eq 'Failed' and creationDateTimeUtc ge ${since}`));
    expect(Number(await page.locator('#dash-pending .dash-total').innerText())).toBe(1);
    await page.locator('.dash-card', { hasText: 'Waiting for offline devices' }).getByRole('link', { name: /dash-offline/ }).waitFor();
    // Devices at risk names the infected device.
    await page.locator('.dash-card', { hasText: 'Devices at risk' }).getByRole('link', { name: 'dash-infected' }).waitFor();

    await shot(page, 'dashboard');
    await expectNoA11yViolations(page, 'the dashboard');

    // The Medium/New number lands on the alerts queue filtered the same way.
    await page.locator('a[href="#/alerts?severity=Medium&status=New"]').click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    expect(await page.getByLabel('Severity').inputValue()).toBe('Medium');
    expect(await page.getByLabel('Status').inputValue()).toBe('New');
    await page.locator('tr[data-alert-id]').first().waitFor();
    expect(await page.locator('tr[data-alert-id]').count()).toBe(medNew);
    await page.goBack();
    await page.getByRole('heading', { name: 'Security operations' }).waitFor();

    await page.locator('a[href="#/devices?isolation=Isolated"]').click();
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#/devices?isolation=Isolated');
    await page.goBack();
    await page.locator('a[href="#/actions?status=Failed&since=24h"]').click();
    await page.getByRole('heading', { name: 'Action center' }).waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#/actions?status=Failed&since=24h');
  }, 90_000);

  it('should fit a phone, in dark mode too', async () => {
    const phone = await fx.signedInPage({ viewport: PHONE, colorScheme: 'dark' });
    await phone.getByRole('heading', { name: 'Security operations' }).waitFor();
    await phone.locator('.dash-card').first().waitFor();
    await shot(phone, 'dashboard-phone-dark');
    await expectNoHorizontalScroll(phone, 'the dashboard on a phone');
    await expectDarkBackground(phone, 'the dashboard');
    await expectNoA11yViolations(phone, 'the dashboard on a phone in dark mode');
    const desktopDark = await fx.signedInPage({ viewport: DESKTOP, colorScheme: 'dark' });
    await desktopDark.locator('.dash-card').first().waitFor();
    await shot(desktopDark, 'dashboard-dark');
  }, 60_000);
});

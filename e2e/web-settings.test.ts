/**
 * The Settings page in a real browser against a real server: edit the tenant's response settings
 * and read them back through the API, a refused entry (a bad CIDR) shown by its field, the hint
 * when someone else saved meanwhile, the read-only view of a person who may not change them, and
 * axe-core, phone width and dark mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, DESKTOP, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, PHONE, shot, startWebFixture, type WebFixture } from './support/web-fixture.js';

const VIEWER = { name: 'e2e-viewer', displayName: 'Vic Viewer', password: 'e2e viewer password 1', roles: 'View data' };

describe('Settings page', () => {
  let fx: WebFixture;

  beforeAll(async () => {
    fx = await startWebFixture();
    await createUser(fx.serverEnv, VIEWER);
  }, 180_000);
  afterAll(async () => {
    await fx?.close();
  });

  const settings = async () => {
    const r = await fx.api.call('GET', '/api/cordon/settings');
    expect(r.status).toBe(200);
    return r.body as { isolationExceptions: string[]; scanCpuPercent: number; remediationLevel: string; scanExclusions: string[]; lastUpdateTime: string | null };
  };

  it('should save edited lists and values, and the API reads them back', async () => {
    const page = await fx.signedInPage({ viewport: DESKTOP });
    await page.goto(`${fx.base}/#/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByText('Last updated: never (defaults)').waitFor();
    const isolation = page.getByRole('group', { name: 'Isolation exceptions' });
    await isolation.getByLabel('Add to Isolation exceptions').fill('10.0.0.0/8, [fd00::1]:443');
    await isolation.getByRole('button', { name: 'Add' }).click();
    const exclusions = page.getByRole('group', { name: 'Scan exclusions' });
    await exclusions.getByLabel('Add to Scan exclusions').fill('/srv/builds');
    await exclusions.getByLabel('Add to Scan exclusions').press('Enter');
    await page.getByLabel('Scan CPU share (percent)').fill('30');
    await page.getByLabel('Ask an analyst to approve remediation').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Settings saved.').waitFor();
    const stored = await settings();
    expect(stored.isolationExceptions).toEqual(['10.0.0.0/8', '[fd00::1]:443']);
    expect(stored.scanExclusions).toEqual(['/srv/builds']);
    expect(stored.scanCpuPercent).toBe(30);
    expect(stored.remediationLevel).toBe('None');
    // "Last updated" now names the time, with its zone.
    expect(await page.locator('.settings > p.muted').first().textContent()).toMatch(/Last updated: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+/);
    await shot(page, 'settings');

    // Remove by its ×, Discard brings it back; remove again and save.
    await isolation.getByRole('button', { name: 'Remove [fd00::1]:443' }).click();
    expect(await isolation.locator('li').count()).toBe(1);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await isolation.locator('li').count()).toBe(2);
    await isolation.getByRole('button', { name: 'Remove [fd00::1]:443' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Settings saved.').waitFor();
    expect((await settings()).isolationExceptions).toEqual(['10.0.0.0/8']);
    await expectNoA11yViolations(page, 'the settings page');
  }, 90_000);

  it('should show a refused entry (a bad CIDR) next to its field and change nothing', async () => {
    const before = await settings();
    const page = await fx.signedInPage({ viewport: DESKTOP });
    await page.goto(`${fx.base}/#/settings`);
    const isolation = page.getByRole('group', { name: 'Isolation exceptions' });
    await isolation.getByLabel('Add to Isolation exceptions').fill('10.0.0.0/33');
    await isolation.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const fieldError = isolation.locator('.field-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain("'10.0.0.0/33' was refused");
    await page.getByText('Not saved: one entry was refused').waitFor();
    // Nothing else carries the message.
    expect(await page.locator('.field-error').count()).toBe(1);
    expect(await settings()).toEqual(before);
    await shot(page, 'settings-refused');
    await expectNoA11yViolations(page, 'the settings page with a refused entry');
  }, 60_000);

  it('should warn when someone else saved after the page was opened, and load theirs on request', async () => {
    const page = await fx.signedInPage({ viewport: DESKTOP });
    await page.goto(`${fx.base}/#/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Scan CPU share (percent)').waitFor();
    const current = await settings();
    const put = await fx.api.call('PUT', '/api/cordon/settings', { ...current, scanCpuPercent: 77 });
    expect(put.status).toBe(200);
    await page.getByLabel('Scan CPU share (percent)').fill('20');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Someone else saved these settings').waitFor();
    expect((await settings()).scanCpuPercent).toBe(77);
    await page.getByRole('button', { name: 'Discard mine and load theirs' }).click();
    expect(await page.getByLabel('Scan CPU share (percent)').inputValue()).toBe('77');
  }, 60_000);

  it('should show the settings read-only, saying why, to a person who may not change them', async () => {
    const page = await fx.signedInPage({ viewport: DESKTOP, user: VIEWER });
    await page.goto(`${fx.base}/#/settings`);
    await page.getByText('You can view these settings but not change them').waitFor();
    expect(await page.getByLabel('Scan CPU share (percent)').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    // Lists show their entries without the means to change them.
    expect(await page.getByLabel('Add to Isolation exceptions').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove 10.0.0.0/8' }).count()).toBe(0);
    await page.getByText('10.0.0.0/8', { exact: true }).waitFor();
    await shot(page, 'settings-read-only');
    await expectNoA11yViolations(page, 'the read-only settings page');
  }, 60_000);

  it('should fit a phone and honour dark mode', async () => {
    const phone = await fx.signedInPage({ viewport: PHONE });
    await phone.goto(`${fx.base}/#/settings`);
    await phone.getByRole('heading', { name: 'Settings' }).waitFor();
    await phone.getByText('10.0.0.0/8', { exact: true }).waitFor();
    await expectNoHorizontalScroll(phone, 'the settings page on a phone');
    await shot(phone, 'settings-phone');
    const dark = await fx.signedInPage({ viewport: DESKTOP, colorScheme: 'dark' });
    await dark.goto(`${fx.base}/#/settings`);
    await dark.getByRole('heading', { name: 'Settings' }).waitFor();
    await expectDarkBackground(dark, 'the settings page');
    await expectNoA11yViolations(dark, 'the settings page in dark mode');
    await shot(dark, 'settings-dark');
  }, 60_000);
});

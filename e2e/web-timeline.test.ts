/**
 * The device page's timeline and live device state in a real browser, with a real server and a
 * `cordon agent` on the fake platform: tags added several at once and removed by their chip (and
 * nothing said for a change that changes nothing), isolate and release, the agent stopped until
 * the health job marks it Inactive and started again, all shown without a reload and listed in
 * order, newest first; the kind filter; axe-core, phone width and dark mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { stop, type Proc } from './support/cluster.js';
import { DESKTOP, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, PHONE, shot, startWebFixture, type WebFixture } from './support/web-fixture.js';

const HOST = 'timeline-e2e-host';

describe('device timeline and live device state', () => {
  let fx: WebFixture;
  let agent: Proc;
  let page: Page;
  let machineId = '';

  beforeAll(async () => {
    // The shortest silence the server accepts before Inactive (10 s), checked every second.
    fx = await startWebFixture({ serverEnv: { CORDON_INACTIVE_AFTER_SECONDS: '10', CORDON_HEALTH_CHECK_SECONDS: '1' } });
    agent = await fx.startAgent(HOST, { CORDON_FAKE_DELAY_MS: '200' });
    const found = await fx.api.call('GET', `/api/machines?$filter=computerDnsName eq '${HOST}'`);
    machineId = (found.body as { value: { id: string }[] }).value[0]!.id;
    page = await fx.signedInPage({ viewport: DESKTOP });
    await page.goto(`${fx.base}/#/devices/${machineId}`);
    await page.getByRole('heading', { name: HOST }).waitFor();
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  }, 180_000);
  afterAll(async () => {
    await fx?.close();
  });

  const tagsOf = async () => ((await fx.api.call('GET', `/api/machines/${machineId}`)).body as { machineTags: string[] }).machineTags;
  const notice = () => page.locator('.device [role="status"].notice');
  const health = () => page.locator('dl.facts div', { hasText: 'Health' }).locator('dd');
  const noReload = () => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload);

  it('should add several tags at once, remove one by its chip, and say nothing for a change that changes nothing', async () => {
    const input = page.getByLabel('Add tags (separate several with commas)');
    await input.fill('alpha, beta');
    await input.press('Enter');
    await notice().filter({ hasText: 'Tags alpha, beta added.' }).waitFor();
    expect(await tagsOf()).toEqual(['alpha', 'beta']);
    // Already there: nothing to send, the button stays disabled and Enter changes nothing.
    await input.fill('alpha');
    expect(await page.getByRole('button', { name: 'Add', exact: true }).isDisabled()).toBe(true);
    await input.press('Enter');
    expect(await notice().textContent()).toBe('Tags alpha, beta added.');
    await page.getByRole('button', { name: 'Remove tag alpha' }).click();
    await notice().filter({ hasText: 'Tag alpha removed.' }).waitFor();
    expect(await tagsOf()).toEqual(['beta']);
    expect(await page.getByRole('list', { name: 'Tags' }).locator('li').allTextContents()).toEqual(['beta×']);
  }, 60_000);

  it('should show isolation and release in the timeline as they happen', async () => {
    const isolate = await fx.api.call('POST', `/api/machines/${machineId}/isolate`, { Comment: 'e2e: timeline isolate', IsolationType: 'Full' });
    expect(isolate.status).toBe(201);
    await fx.api.waitStatus(isolate.body.id, ['Succeeded']);
    await page.locator('.timeline-entry[data-kind="isolation"]').first().waitFor();
    const release = await fx.api.call('POST', `/api/machines/${machineId}/unisolate`, { Comment: 'e2e: timeline release' });
    expect(release.status).toBe(201);
    await fx.api.waitStatus(release.body.id, ['Succeeded']);
    await page.waitForFunction(() => document.querySelectorAll('.timeline-entry[data-kind="isolation"]').length === 2);
    expect(await noReload()).toBe(true);
  }, 60_000);

  it('should turn Inactive when the agent stops and Active when it returns, without a reload', async () => {
    await stop(agent);
    await health().filter({ hasText: 'Inactive' }).waitFor({ timeout: 60_000 });
    expect(await noReload()).toBe(true);
    agent = await fx.startAgent(HOST, { CORDON_FAKE_DELAY_MS: '200' });
    await health().filter({ hasText: 'Active' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('.timeline-entry[data-kind="health"]').length === 2);
    expect(await noReload()).toBe(true);
  }, 120_000);

  it('should list every change newest first, with time zones, and filter by kind', async () => {
    const entries = await page.locator('.timeline-entry').evaluateAll((els) => els.map((e) => ({ kind: (e as HTMLElement).dataset.kind!, text: e.querySelector('.timeline-text')!.textContent!, time: e.querySelector('time')!.getAttribute('datetime')!, shown: e.querySelector('time')!.textContent! })));
    const changes = entries.filter((e) => e.kind !== 'action');
    expect(changes.map((e) => e.text)).toEqual([
      'Health changed from Inactive to Active',
      'Health changed from Active to Inactive',
      expect.stringMatching(/^Isolation changed from .*isolated to Not isolated$/i),
      expect.stringMatching(/^Isolation changed from Not isolated to .*isolated$/i),
      'Tag removed: alpha',
      // One request per tag (the API's shape): typed together, recorded one after the other.
      'Tag added: beta',
      'Tag added: alpha',
    ]);
    const times = entries.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    for (const e of entries) expect(e.shown).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$/);
    // The two actions are in the list too.
    expect(entries.filter((e) => e.kind === 'action').map((e) => e.text)).toEqual([expect.stringMatching(/^Release from isolation: /), expect.stringMatching(/^Isolate device: /)]);
    await shot(page, 'device-timeline');
    await expectNoA11yViolations(page, 'the device page with its timeline');

    await page.getByLabel('Show').selectOption('health');
    await page.waitForFunction(() => [...document.querySelectorAll('.timeline-entry')].every((e) => (e as HTMLElement).dataset.kind === 'health'));
    expect(await page.locator('.timeline-entry').count()).toBe(2);
  }, 60_000);

  it('should fit a phone and honour dark mode', async () => {
    const phone = await fx.signedInPage({ viewport: PHONE });
    await phone.goto(`${fx.base}/#/devices/${machineId}`);
    await phone.locator('.timeline-entry').first().waitFor();
    await shot(phone, 'device-timeline-phone');
    await expectNoHorizontalScroll(phone, 'the device page on a phone');
    const dark = await fx.signedInPage({ viewport: DESKTOP, colorScheme: 'dark' });
    await dark.goto(`${fx.base}/#/devices/${machineId}`);
    await dark.locator('.timeline-entry').first().waitFor();
    await expectDarkBackground(dark, 'the device page');
    await expectNoA11yViolations(dark, 'the device page in dark mode');
    await shot(dark, 'device-timeline-dark');
  }, 60_000);
});

/**
 * Action details and the Action center in a real browser, against a real server and fake-platform
 * agents: failure reasons on rows and on the device page, the side panel with steps and a result
 * summary (deep link, Back), filters and sort in the URL (reload, Back), live updates that respect
 * the filters, a date range, CSV/JSON export equal to the API's filtered list, bulk cancel, the
 * offline hint for a Pending action, and axe/phone/dark checks with screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { machineIdOf, stop, waitFor, type Api, type Proc } from './support/cluster.js';
import { DESKTOP, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, PHONE, shot, startWebFixture, type WebFixture } from './support/web-fixture.js';

const ALPHA = 'u3-alpha';
const BETA = 'u3-beta';
const AGENT_ENV = {
  CORDON_FAKE_DELAY_MS: '300',
  // Scans run until cancelled; restriction fails, so there is a failure reason to show.
  CORDON_FAKE_DELAYS: JSON.stringify({ RunAntiVirusScan: 600_000 }),
  CORDON_FAKE_FAIL: 'RestrictCodeExecution',
};

interface WireAction {
  id: string;
  status: string;
  type: string;
  cancellationComment: string | null;
}

describe('web: action details and the Action center', () => {
  let fx: WebFixture;
  let api: Api;
  let page: Page;
  let alphaId = '';
  let betaId = '';
  let beta: Proc;

  const create = async (machine: string, segment: string, body: Record<string, unknown>): Promise<WireAction> => {
    const r = await api.call('POST', `/api/machines/${machine}/${segment}`, body);
    if (r.status !== 201) throw new Error(`${segment}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as WireAction;
  };
  /** Every action the API lists for `filter`, following @odata.nextLink. */
  const listAll = async (filter: string): Promise<WireAction[]> => {
    const out: WireAction[] = [];
    let next: string | undefined = `/api/machineactions?$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent('creationDateTimeUtc desc')}`;
    while (next) {
      const r = await api.call('GET', next);
      expect(r.status).toBe(200);
      out.push(...(r.body.value as WireAction[]));
      next = r.body['@odata.nextLink'] as string | undefined;
    }
    return out;
  };
  const hashQuery = (p: Page) => p.evaluate(() => Object.fromEntries(new URLSearchParams(window.location.hash.split('?')[1] ?? '')));

  beforeAll(async () => {
    // Two devices enroll with the one onboarding package the fixture mints.
    fx = await startWebFixture({ serverEnv: { CORDON_INACTIVE_AFTER_SECONDS: '10', CORDON_HEALTH_CHECK_SECONDS: '1', CORDON_ENROLL_MAX_USES: '2' } });
    ({ api } = fx);
    await fx.startAgent(ALPHA, AGENT_ENV);
    beta = await fx.startAgent(BETA, AGENT_ENV);
    alphaId = await machineIdOf(join(fx.dir, `agent-${ALPHA}`));
    betaId = await machineIdOf(join(fx.dir, `agent-${BETA}`));
    page = await fx.signedInPage();
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('should show why an action failed on the device page and on its row, never a stale "submitted (Pending)"', async () => {
    await page.goto(`${fx.base}/#/devices/${alphaId}`);
    await page.getByRole('heading', { name: ALPHA }).waitFor();
    await page.getByText('Live updates on').waitFor();
    await page.getByRole('button', { name: 'Restrict app execution' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restrict app execution' });
    await dialog.getByLabel('Comment (required)').fill('u3: restrict');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const notice = page.locator('.created-action[data-status="Failed"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Failed — fake RestrictCodeExecution failed as configured');
    expect(await page.locator('main').textContent()).not.toContain('submitted (Pending)');
    const row = page.locator('tr[data-status="Failed"]', { hasText: 'u3: restrict' });
    expect(await row.locator('.row-reason').textContent()).toBe('fake RestrictCodeExecution failed as configured');
    await shot(page, 'u3-device-failed');
  }, 60_000);

  it('should open a side panel with steps and the failure reason, without Expires on a finished action, as a link Back closes', async () => {
    const row = page.locator('tr[data-status="Failed"]', { hasText: 'u3: restrict' });
    const id = (await row.getAttribute('data-action-id'))!;
    await page.goto(`${fx.base}/#/actions`);
    await page.getByRole('heading', { name: 'All actions' }).waitFor();
    await page.locator(`tr[data-action-id="${id}"]`).getByRole('button', { name: 'Details', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: `Restrict app execution on ${ALPHA}` });
    await drawer.locator('[data-status="Failed"]').waitFor();
    expect((await hashQuery(page)).action).toBe(id);
    const text = (await drawer.textContent())!;
    expect(text).toContain('Failed: fake RestrictCodeExecution failed as configured');
    expect(text).toContain('Submitted');
    expect(text).toContain('by Erin Analyst: “u3: restrict”');
    expect(text).not.toContain('Expires');
    expect(await drawer.locator('ol.steps li').count()).toBe(4);
    await shot(page, 'u3-drawer-failed');
    // A reload keeps the panel open; Back closes it.
    await page.reload();
    await page.getByRole('dialog', { name: `Restrict app execution on ${ALPHA}` }).locator('[data-status="Failed"]').waitFor();
    await page.goBack();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await hashQuery(page)).action).toBeUndefined();
  }, 60_000);

  it('should summarise a collected package without blob ids and offer the download', async () => {
    const a = await create(alphaId, 'collectInvestigationPackage', { Comment: 'u3: collect' });
    const done = (await api.waitStatus(a.id, ['Succeeded'])) as unknown as { result: { blobId: string; size: number } };
    // The path form of the link opens the same panel.
    await page.goto(`${fx.base}/#/actions/${a.id}`);
    const drawer = page.getByRole('dialog', { name: `Collect investigation package on ${ALPHA}` });
    await drawer.getByRole('button', { name: 'Download package' }).waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe(`#/actions?action=${a.id}`);
    const text = (await drawer.textContent())!;
    expect(text).toMatch(/Package of \d/);
    expect(text).not.toContain(done.result.blobId);
    expect(text).not.toContain('Expires');
    await shot(page, 'u3-drawer-package');
    await drawer.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  }, 60_000);

  it('should keep filters and sort in the URL: a reload keeps them and Back restores the previous ones', async () => {
    await page.goto(`${fx.base}/#/actions`);
    await page.getByRole('heading', { name: 'All actions' }).waitFor();
    await page.getByRole('combobox', { name: /^Status/ }).selectOption('Failed');
    await waitFor('only Failed rows', async () => ((await page.locator('tr[data-action-id]:not([data-status="Failed"])').count()) === 0 ? true : undefined), 10_000);
    await page.locator('tr[data-action-id][data-status="Failed"]').first().waitFor();
    await page.getByRole('combobox', { name: /^Type/ }).selectOption('RestrictCodeExecution');
    await page.getByRole('button', { name: 'Requestor' }).click();
    await waitFor('sort in the URL', async () => ((await hashQuery(page)).sort === 'requestor asc' ? true : undefined), 5000);
    expect(await hashQuery(page)).toEqual({ status: 'Failed', type: 'RestrictCodeExecution', sort: 'requestor asc' });
    await page.reload();
    await page.getByRole('heading', { name: 'All actions' }).waitFor();
    expect(await page.getByRole('combobox', { name: /^Status/ }).inputValue()).toBe('Failed');
    expect(await page.getByRole('combobox', { name: /^Type/ }).inputValue()).toBe('RestrictCodeExecution');
    expect(await page.getByRole('columnheader', { name: /Requestor/ }).getAttribute('aria-sort')).toBe('ascending');
    await page.goBack(); // undoes the sort
    await waitFor('the sort to go', async () => ((await hashQuery(page)).sort === undefined ? true : undefined), 5000);
    await page.goBack(); // undoes the type
    await waitFor('the type filter to go', async () => ((await page.getByRole('combobox', { name: /^Type/ }).inputValue()) === '' ? true : undefined), 5000);
    expect(await page.getByRole('combobox', { name: /^Status/ }).inputValue()).toBe('Failed');
    // Typing a requestor replaces the entry rather than adding one per key.
    const before = await page.evaluate(() => history.length);
    await page.getByLabel('Requestor', { exact: true }).fill('Erin');
    await waitFor('requestor in the URL', async () => ((await hashQuery(page)).requestor === 'Erin' ? true : undefined), 5000);
    expect(await page.evaluate(() => history.length)).toBe(before);
  }, 60_000);

  it('should apply live updates within the filter: a new matching action appears, a cancelled one leaves the In progress view', async () => {
    await page.goto(`${fx.base}/#/actions?status=InProgress`);
    await page.getByText('Live updates on').waitFor();
    await page.getByText('No actions match.').waitFor();
    const scan = await create(alphaId, 'runAntiVirusScan', { Comment: 'u3: live scan', ScanType: 'Quick' });
    await page.locator(`tr[data-action-id="${scan.id}"][data-status="InProgress"]`).waitFor();
    const r = await api.call('POST', `/api/machineactions/${scan.id}/cancel`, { Comment: 'u3: stop it' });
    expect(r.status).toBe(200);
    await page.locator(`tr[data-action-id="${scan.id}"]`).waitFor({ state: 'detached' });
    await page.getByText('No actions match.').waitFor();
  }, 60_000);

  it('should cancel several actions at once with one comment, offering only cancellable rows', async () => {
    const a = await create(alphaId, 'runAntiVirusScan', { Comment: 'u3: bulk a', ScanType: 'Quick' });
    const b = await create(betaId, 'runAntiVirusScan', { Comment: 'u3: bulk b', ScanType: 'Quick' });
    await api.waitStatus(a.id, ['InProgress']);
    await api.waitStatus(b.id, ['InProgress']);
    await page.goto(`${fx.base}/#/actions`);
    await page.getByText('Live updates on').waitFor();
    await page.locator(`tr[data-action-id="${b.id}"]`).waitFor();
    // Finished rows have no checkbox.
    expect(await page.locator('tr[data-status="Failed"] input[type="checkbox"], tr[data-status="Succeeded"] input[type="checkbox"]').count()).toBe(0);
    await page.getByLabel('Select every action that can be cancelled on this page').check();
    await page.getByRole('button', { name: 'Cancel selected (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel 2 actions' });
    await dialog.getByLabel('Comment (required)').fill('u3: bulk stop');
    await shot(page, 'u3-bulk-cancel');
    await dialog.getByRole('button', { name: 'Cancel actions' }).click();
    await page.getByText('2 of 2 cancelled.').waitFor();
    for (const id of [a.id, b.id]) {
      const after = (await api.action(id)) as unknown as WireAction;
      expect(after.status).toBe('Cancelled');
      expect(after.cancellationComment).toBe('u3: bulk stop');
      await page.locator(`tr[data-action-id="${id}"][data-status="Cancelled"]`).waitFor();
    }
    await page.locator(`tr[data-action-id="${a.id}"]`).getByRole('button', { name: 'Details', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: `Antivirus scan on ${ALPHA}` });
    await drawer.getByText('by Erin Analyst: “u3: bulk stop”').waitFor();
    await drawer.getByRole('button', { name: 'Close' }).click();
  }, 60_000);

  it('should filter by a date range: presets and a custom from–to with the time zone shown', async () => {
    await page.goto(`${fx.base}/#/actions?since=1h`);
    await page.locator('tr[data-action-id]').first().waitFor();
    expect(await page.getByRole('combobox', { name: /^Submitted/ }).inputValue()).toBe('1h');
    await page.getByRole('combobox', { name: /^Submitted/ }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2020-01-01T00:00');
    await page.getByLabel('To', { exact: true }).fill('2020-01-02T00:00');
    await page.getByText('No actions match.').waitFor();
    expect(await page.locator('.time-range .tz').textContent()).toMatch(/\(UTC[+−]\d\d:\d\d\)/);
    expect(await hashQuery(page)).toEqual({ since: 'custom', from: '2020-01-01T00:00', to: '2020-01-02T00:00' });
    await shot(page, 'u3-date-range');
  }, 60_000);

  it('should export the filtered list, every page, as CSV and JSON equal to what the API lists', async () => {
    await page.goto(`${fx.base}/#/actions?status=Cancelled`);
    await page.locator('tr[data-action-id]').first().waitFor();
    const expected = await listAll("status eq 'Cancelled'");
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^actions-\d{8}-\d{4}\.csv$/);
    const csv = await readFile((await csvDownload.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('id,type,status,machineId,computerDnsName,requestor')).toBe(true);
    // No comment in these rows holds a comma or line break, so a plain split reads them.
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[0])).toEqual(expected.map((a) => a.id));
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['Cancelled']));
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    const json = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8')) as WireAction[];
    expect(json.map((a) => a.id)).toEqual(expected.map((a) => a.id));
    await page.getByText(`Exported ${expected.length} actions.`).waitFor();
  }, 60_000);

  it('should explain a Pending action on an offline device: runs when it reconnects, until it expires', async () => {
    await stop(beta);
    await waitFor('beta to read Inactive', async () => ((await api.call('GET', `/api/machines/${betaId}`)).body.healthStatus === 'Inactive' ? true : undefined), 40_000, 500);
    const iso = await create(betaId, 'isolate', { Comment: 'u3: isolate offline', IsolationType: 'Full' });
    expect((await api.action(iso.id)).status).toBe('Pending');
    await page.goto(`${fx.base}/#/actions?action=${iso.id}`);
    const drawer = page.getByRole('dialog', { name: `Isolate device on ${BETA}` });
    const hint = drawer.locator('.offline-hint');
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(/^The device is offline since .+; the action runs when it reconnects, until it expires at .+\.$/);
    expect(await drawer.textContent()).toContain('Expires');
    await shot(page, 'u3-drawer-offline');
    await expectNoA11yViolations(page, 'the action panel (light)');
  }, 60_000);

  it('should pass axe in light and dark, and fit a phone with the panel full screen', async () => {
    const pending = (await listAll("status eq 'Pending'"))[0]!;
    for (const colorScheme of ['light', 'dark'] as const) {
      const p = await fx.signedInPage({ viewport: DESKTOP, colorScheme });
      await p.goto(`${fx.base}/#/actions`);
      await p.locator('tr[data-action-id]').first().waitFor();
      await expectNoA11yViolations(p, `the Action center (${colorScheme})`);
      if (colorScheme === 'dark') await expectDarkBackground(p, 'the Action center');
      await shot(p, `u3-action-center-desktop-${colorScheme}`);
      await p.locator(`tr[data-action-id="${pending.id}"]`).getByRole('button', { name: 'Details', exact: true }).click();
      await p.getByRole('dialog').locator('[data-status]').waitFor();
      await expectNoA11yViolations(p, `the action panel (${colorScheme})`);
      await shot(p, `u3-drawer-desktop-${colorScheme}`);
    }
    const phone = await fx.signedInPage({ viewport: PHONE });
    await phone.goto(`${fx.base}/#/actions?status=Cancelled`);
    await phone.locator('tr[data-action-id]').first().waitFor();
    await expectNoHorizontalScroll(phone, 'the Action center at phone width');
    await shot(phone, 'u3-action-center-phone');
    await phone.goto(`${fx.base}/#/actions?action=${pending.id}`);
    const drawer = phone.getByRole('dialog');
    await drawer.locator('[data-status]').waitFor();
    const box = (await drawer.boundingBox())!;
    expect(box.width).toBe(PHONE.width);
    expect(box.x).toBe(0);
    await expectNoHorizontalScroll(phone, 'the action panel at phone width');
    await expectNoA11yViolations(phone, 'the action panel at phone width');
    await shot(phone, 'u3-drawer-phone');
  }, 120_000);
});

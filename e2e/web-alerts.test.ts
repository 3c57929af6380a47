/**
 * Alerts and investigations acted on in a real browser. The alert is produced for real: the
 * fake-platform agent's scan runs the real scan executor over a directory holding the EICAR file
 * (CORDON_FAKE_SCAN_PATHS) and the server raises an alert for the detection. A person sees it appear
 * in the queue without reloading, triages it to Resolved (the API shows every change), and approves
 * a PendingApproval investigation (remediation level None), whose quarantine action then appears.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor, type Api } from './support/cluster.js';
import { PHONE, USER, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, shot, startWebFixture, type WebFixture } from './support/web-fixture.js';
import { EICAR } from './support/eicar.js';

const HOST = 'alerts-host';

describe('alerts and investigations', () => {
  let fx: WebFixture;
  let api: Api;
  let machineId = '';
  let alertId = '';

  beforeAll(async () => {
    fx = await startWebFixture();
    api = fx.api;
    const infected = join(fx.dir, 'infected');
    await mkdir(infected, { recursive: true });
    await writeFile(join(infected, 'eicar.com'), EICAR);
    await fx.startAgent(HOST, { CORDON_FAKE_SCAN_PATHS: infected });
    machineId = await waitFor('the machine', async () => (await api.call('GET', `/api/machines?$filter=computerDnsName eq '${HOST}'`)).body?.value?.[0]?.id as string | undefined);
    // Investigations stop at PendingApproval: an analyst approves remediation.
    const settings = await api.call('PUT', '/api/cordon/settings', { remediationLevel: 'None' });
    expect(settings.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('should show a real scan detection in the queue live, with its evidence, and triage it to Resolved', async () => {
    const page = await fx.signedInPage();
    await page.goto(`${fx.base}/#/alerts`);
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await page.getByText('Live updates on.').waitFor();
    await page.getByText('No alerts match.').waitFor();
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const scan = await api.call('POST', `/api/machines/${machineId}/runAntiVirusScan`, { Comment: 'alerts e2e', ScanType: 'Quick' });
    await api.waitStatus(scan.body.id, ['Succeeded'], 30_000);
    const row = page.locator('tr[data-alert-id]').first();
    await row.waitFor();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    alertId = (await row.getAttribute('data-alert-id'))!;
    const apiAlert = (await api.call('GET', `/api/alerts/${alertId}`)).body;
    expect(apiAlert).toMatchObject({ machineId, status: 'New', actionId: scan.body.id, detectionSource: 'Antivirus' });
    await shot(page, 'alerts');
    await expectNoA11yViolations(page, 'the alerts queue');

    // Filters are in the URL and select the rows the API selects.
    await page.getByLabel('Status').selectOption('Resolved');
    await page.getByText('No alerts match.').waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#/alerts?status=Resolved');
    await page.goBack();
    await page.locator(`tr[data-alert-id="${alertId}"]`).waitFor();

    await page.locator(`tr[data-alert-id="${alertId}"]`).getByRole('link', { name: apiAlert.title }).click();
    await page.getByRole('heading', { name: apiAlert.title }).waitFor();
    const eicarSha256 = createHash('sha256').update(EICAR).digest('hex');
    await page.locator('.evidence-table code.hash', { hasText: eicarSha256 }).waitFor();
    await page.locator('.evidence-table', { hasText: 'eicar.com' }).waitFor();
    expect(await page.locator(`a[data-action-id="${scan.body.id}"]`).count()).toBe(1);
    expect(await page.locator('.alert-details').getByRole('link', { name: HOST }).getAttribute('href')).toBe(`#/devices/${machineId}`);

    const triage = page.locator('form.triage');
    await triage.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByRole('status').filter({ hasText: 'Assigned to you.' }).waitFor();
    expect((await api.call('GET', `/api/alerts/${alertId}`)).body.assignedTo).toBe(USER.name);

    await triage.getByLabel('In progress').check();
    await triage.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Alert updated.' }).waitFor();
    expect((await api.call('GET', `/api/alerts/${alertId}`)).body.status).toBe('InProgress');

    await triage.getByLabel('Resolved').check();
    await triage.locator('select[name="classification"]').selectOption('TruePositive');
    await triage.locator('select[name="determination"]').selectOption('Malware');
    await triage.locator('textarea[name="comment"]').fill('EICAR test file dropped by the e2e test');
    await triage.getByRole('button', { name: 'Save' }).click();
    await page.locator('.alert-summary', { hasText: 'Resolved' }).waitFor();
    const resolved = (await api.call('GET', `/api/alerts/${alertId}`)).body;
    expect(resolved).toMatchObject({ status: 'Resolved', classification: 'TruePositive', determination: 'Malware', assignedTo: USER.name });
    expect(resolved.resolvedTime).not.toBeNull();
    expect(resolved.comments.map((c: { comment: string }) => c.comment)).toContain('EICAR test file dropped by the e2e test');
    await page.locator('ol.comments', { hasText: 'EICAR test file dropped by the e2e test' }).waitFor();
    await shot(page, 'alert');
    await expectNoA11yViolations(page, 'the alert page');

    await page.goto(`${fx.base}/#/alerts?status=Resolved`);
    await page.locator(`tr[data-alert-id="${alertId}"][data-status="Resolved"]`).waitFor();
  }, 120_000);

  it('should approve a PendingApproval investigation from the device page and show its quarantine action', async () => {
    const started = await api.call('POST', `/api/machines/${machineId}/startInvestigation`, { Comment: 'alerts e2e' });
    expect(started.status).toBe(201);
    const invId = started.body.id as string;
    await waitFor('the investigation to wait for approval', async () => ((await api.call('GET', `/api/investigations/${invId}`)).body.state === 'PendingApproval' ? true : undefined), 60_000, 250);

    const page = await fx.signedInPage();
    await page.goto(`${fx.base}/#/devices/${machineId}`);
    const card = page.locator(`.investigation[data-investigation-id="${invId}"]`);
    await card.locator('.findings-table').waitFor();
    const findings = (await api.call('GET', `/api/investigations/${invId}`)).body.findings as { ruleId: string; alertId: string | null }[];
    const scanFinding = findings.find((f) => f.ruleId === 'antivirus-scan');
    expect(scanFinding?.alertId).toBeTruthy();
    expect(await card.getByRole('link', { name: scanFinding!.alertId! }).getAttribute('href')).toBe(`#/alerts/${scanFinding!.alertId}`);
    await shot(page, 'investigation-pending');
    await expectNoA11yViolations(page, 'the device page with a pending investigation');

    await card.getByRole('button', { name: 'Approve remediation' }).click();
    const dialog = page.getByRole('dialog', { name: `Approve remediation of investigation ${invId}` });
    await dialog.getByLabel('Comment (required)').fill('approved by the e2e test');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await page.locator(`.investigation[data-investigation-id="${invId}"]:not([data-state="PendingApproval"])`).waitFor();

    const inv = await waitFor('the remediation action', async () => {
      const body = (await api.call('GET', `/api/investigations/${invId}`)).body;
      return body.remediationActionIds.length > 0 ? body : undefined;
    });
    const quarantine = await api.action(inv.remediationActionIds[0]);
    expect(quarantine.type).toBe('StopAndQuarantineFile');
    await card.getByRole('link', { name: 'Quarantine requested' }).first().waitFor();
    await page.locator(`tr[data-action-id="${inv.remediationActionIds[0]}"]`).waitFor();
    await waitFor('the investigation to finish', async () => ((await api.call('GET', `/api/investigations/${invId}`)).body.state === 'SuccessfullyRemediated' ? true : undefined), 30_000, 250);
    await page.locator(`.investigation[data-investigation-id="${invId}"][data-state="SuccessfullyRemediated"]`).waitFor();
    await shot(page, 'investigation-approved');
  }, 120_000);

  it('should fit the queue and the alert page on a phone', async () => {
    const phone = await fx.signedInPage({ viewport: PHONE, colorScheme: 'dark' });
    await phone.goto(`${fx.base}/#/alerts`);
    await phone.locator('tr[data-alert-id]').first().waitFor();
    await shot(phone, 'alerts-phone-dark');
    await expectNoHorizontalScroll(phone, 'the alerts queue on a phone');
    await expectDarkBackground(phone, 'the alerts queue');
    await expectNoA11yViolations(phone, 'the alerts queue on a phone in dark mode');
    await phone.goto(`${fx.base}/#/alerts/${alertId}`);
    await phone.locator('.evidence-table').waitFor();
    await shot(phone, 'alert-phone-dark');
    await expectNoHorizontalScroll(phone, 'the alert page on a phone');
  }, 60_000);
});

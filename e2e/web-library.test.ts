/**
 * The live response library page in a real browser: upload shows size and SHA-256, download gives
 * the same bytes, a description edit keeps the content, a refused upload does not leave its
 * description for the next file, and a View data person sees a read-only list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Api } from './support/cluster.js';
import { PHONE, createUser, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, shot, startWebFixture, type WebFixture } from './support/web-fixture.js';

const SCRIPT = '#!/bin/sh\n# collects the hostname\nhostname\n';
const VIEWER = { name: 'e2e-viewer', displayName: 'Val Viewer', password: 'viewer password 1234' };

describe('the library page', () => {
  let fx: WebFixture;
  let api: Api;
  let scriptPath: string;
  let otherPath: string;

  beforeAll(async () => {
    fx = await startWebFixture();
    api = fx.api;
    scriptPath = join(fx.dir, 'hostname.sh');
    otherPath = join(fx.dir, 'other.sh');
    await writeFile(scriptPath, SCRIPT);
    await writeFile(otherPath, 'echo other\n');
    await createUser(fx.serverEnv, { ...VIEWER, roles: 'View data' });
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('should upload, show size and SHA-256, download the same bytes and edit the description', async () => {
    const page = await fx.signedInPage();
    await page.goto(`${fx.base}/#/library`);
    await page.getByRole('heading', { name: 'Live response library' }).waitFor();
    await page.getByLabel('File (up to 20 MB)').setInputFiles(scriptPath);
    await page.getByLabel('Description', { exact: true }).fill('Prints the host name');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').filter({ hasText: 'Uploaded hostname.sh.' }).waitFor();

    const sha = createHash('sha256').update(SCRIPT).digest('hex');
    const row = page.locator('tr[data-file-name="hostname.sh"]');
    expect(await row.locator('td').nth(3).innerText()).toBe(`${Buffer.byteLength(SCRIPT)} B`);
    expect(await row.locator('code.hash').innerText()).toBe(sha);
    const listed = (await api.call('GET', '/api/libraryfiles')).body.value[0];
    expect(listed).toMatchObject({ fileName: 'hostname.sh', sha256: sha, size: Buffer.byteLength(SCRIPT), description: 'Prints the host name' });

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download hostname.sh' }).click()]);
    expect(download.suggestedFilename()).toBe('hostname.sh');
    expect(await readFile((await download.path())!, 'utf8')).toBe(SCRIPT);

    await row.getByRole('button', { name: 'Edit description of hostname.sh' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit hostname.sh' });
    await dialog.getByLabel('Description', { exact: true }).fill('Prints the host name (edited)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the description of hostname.sh.' }).waitFor();
    const edited = (await api.call('GET', '/api/libraryfiles')).body.value[0];
    expect(edited).toMatchObject({ description: 'Prints the host name (edited)', sha256: sha, size: Buffer.byteLength(SCRIPT) });
    await row.filter({ hasText: 'Prints the host name (edited)' }).waitFor();

    await shot(page, 'library');
    await expectNoA11yViolations(page, 'the library page');
  }, 90_000);

  it('should say how to replace a taken name in plain words and not keep the refused description', async () => {
    const page = await fx.signedInPage();
    await page.goto(`${fx.base}/#/library`);
    await page.locator('tr[data-file-name="hostname.sh"]').waitFor();
    await page.getByLabel('File (up to 20 MB)').setInputFiles(scriptPath);
    await page.getByLabel('Description', { exact: true }).fill('A second copy');
    await page.getByRole('button', { name: 'Upload' }).click();
    const refusal = page.locator('form.upload [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe('hostname.sh is already in the library. Tick “Replace a file of the same name” to replace it.');
    expect(await refusal.innerText()).not.toContain('OverrideIfExists');

    await page.getByLabel('File (up to 20 MB)').setInputFiles(otherPath);
    expect(await page.getByLabel('Description', { exact: true }).inputValue()).toBe('');
    expect(await refusal.count()).toBe(0);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').filter({ hasText: 'Uploaded other.sh.' }).waitFor();
    const other = (await api.call('GET', '/api/libraryfiles')).body.value.find((f: { fileName: string }) => f.fileName === 'other.sh');
    expect(other.description).toBeNull();
    expect((await api.call('GET', '/api/libraryfiles')).body.value.find((f: { fileName: string }) => f.fileName === 'hostname.sh').description).toBe('Prints the host name (edited)');
  }, 60_000);

  it('should show a View data person a read-only list they can download from', async () => {
    const page = await fx.signedInPage({ user: VIEWER });
    await page.goto(`${fx.base}/#/library`);
    const row = page.locator('tr[data-file-name="hostname.sh"]');
    await row.waitFor();
    await page.getByText('Read-only: changing the library needs').waitFor();
    expect(await page.locator('form.upload').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Delete|Edit description of) / }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download hostname.sh' }).click()]);
    expect(await readFile((await download.path())!, 'utf8')).toBe(SCRIPT);
    await shot(page, 'library-view-only');
    await expectNoA11yViolations(page, 'the read-only library page');
  }, 60_000);

  it('should fit a phone', async () => {
    const phone = await fx.signedInPage({ viewport: PHONE, colorScheme: 'dark' });
    await phone.goto(`${fx.base}/#/library`);
    await phone.locator('tr[data-file-name="hostname.sh"]').waitFor();
    await shot(phone, 'library-phone-dark');
    await expectNoA11yViolations(phone, 'the library page on a phone in dark mode');
    await expectNoHorizontalScroll(phone, 'the library page on a phone');
    await expectDarkBackground(phone, 'the library page');
  }, 60_000);
});

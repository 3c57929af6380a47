/**
 * Every page of the web UI at a phone's width (390 px) and in dark mode: no sideways scroll, a dark
 * background under prefers-color-scheme: dark, axe-core clean (contrast included) in both schemes,
 * dialogs inside the screen; and the words people read: sign-in and permission messages without
 * wire codes, operation ids or scope names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUser, DESKTOP, expectDarkBackground, expectNoA11yViolations, expectNoHorizontalScroll, PHONE, shot, startWebFixture, USER, type WebFixture } from './support/web-fixture.js';

const HOST = 'layout-host';
const VIEWER = { name: 'e2e-viewer', displayName: 'Val Viewer', password: 'viewer password 1234', roles: 'View data' };

describe('web UI layout, dark mode and plain language', () => {
  let fx: WebFixture;
  let machineId = '';

  beforeAll(async () => {
    fx = await startWebFixture();
    await fx.startAgent(HOST);
    await createUser(fx.serverEnv, VIEWER);
    const list = await fx.api.call('GET', `/api/machines?$filter=computerDnsName eq '${HOST}'`);
    machineId = (list.body as { value: { id: string }[] }).value[0]!.id;
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
  });

  /** Each page with something on it that shows it finished loading. */
  const pages = () => [
    { name: 'devices', hash: '#/devices', ready: (p: Page) => p.getByRole('link', { name: HOST }).waitFor() },
    { name: 'device', hash: `#/devices/${machineId}`, ready: (p: Page) => p.getByRole('heading', { name: HOST }).waitFor() },
    { name: 'device-actions', hash: `#/devices/${machineId}/actions`, ready: (p: Page) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'live-response', hash: `#/devices/${machineId}/live`, ready: (p: Page) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'action-center', hash: '#/actions', ready: (p: Page) => p.getByRole('heading', { name: 'Action center' }).first().waitFor() },
    { name: 'library', hash: '#/library', ready: (p: Page) => p.getByRole('heading', { level: 1 }).waitFor() },
    { name: 'onboarding', hash: '#/onboarding', ready: (p: Page) => p.getByRole('heading', { level: 1 }).waitFor() },
  ];

  async function visit(page: Page, hash: string, ready: (p: Page) => Promise<void>) {
    await page.goto(`${fx.base}/${hash}`);
    await ready(page);
    // Let late requests (lists, the event stream) settle before measuring.
    await page.waitForLoadState('networkidle').catch(() => undefined);
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`should fit every page on a phone in ${scheme} mode with no axe-core violations`, async () => {
      const page = await fx.signedInPage({ viewport: PHONE, colorScheme: scheme });
      for (const p of pages()) {
        await visit(page, p.hash, p.ready);
        const what = `${p.name} at ${PHONE.width} px (${scheme})`;
        await expectNoHorizontalScroll(page, what);
        if (scheme === 'dark') await expectDarkBackground(page, what);
        await expectNoA11yViolations(page, what);
        await shot(page, `layout-${p.name}-phone-${scheme}`);
      }
    }, 240_000);
  }

  it('should be dark and axe-core clean at desktop size in dark mode', async () => {
    const page = await fx.signedInPage({ viewport: DESKTOP, colorScheme: 'dark' });
    for (const p of pages()) {
      await visit(page, p.hash, p.ready);
      await expectDarkBackground(page, `${p.name} at desktop (dark)`);
      await expectNoA11yViolations(page, `${p.name} at desktop (dark)`);
      await shot(page, `layout-${p.name}-desktop-dark`);
    }
  }, 240_000);

  it('should keep a dialog inside a phone screen', async () => {
    const page = await fx.signedInPage({ viewport: PHONE, colorScheme: 'dark' });
    await visit(page, `#/devices/${machineId}`, (p) => p.getByRole('heading', { name: HOST }).waitFor());
    await page.getByRole('button', { name: 'Isolate device' }).click();
    const dialog = page.getByRole('dialog', { name: 'Isolate device' });
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await expectNoHorizontalScroll(page, 'the isolate dialog on a phone');
    await expectNoA11yViolations(page, 'the isolate dialog on a phone (dark)');
    await shot(page, 'layout-isolate-dialog-phone-dark');
  }, 60_000);

  it('should show the sign-in page fitted and say a wrong password in plain words', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const context = await fx.browser.newContext({ ignoreHTTPSErrors: true, viewport: PHONE, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(fx.base);
      await page.getByLabel('User name').fill(USER.name);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect((await alert.textContent())?.trim()).toBe('Wrong user name or password');
      await expectNoHorizontalScroll(page, `sign-in (${scheme})`);
      if (scheme === 'dark') await expectDarkBackground(page, 'sign-in (dark)');
      await expectNoA11yViolations(page, `sign-in (${scheme})`);
      await shot(page, `layout-sign-in-phone-${scheme}`);
      await context.close();
    }
  }, 60_000);

  it('should name the role a disabled button needs, not an operation id or a scope', async () => {
    const page = await fx.signedInPage({ viewport: DESKTOP, user: VIEWER });
    await visit(page, `#/devices/${machineId}`, (p) => p.getByRole('heading', { name: HOST }).waitFor());
    // No tag controls for a viewer, and the reason names the roles that allow them.
    expect(await page.locator('.tags-not-allowed').textContent()).toBe('Changing tags: Needs the Alerts investigation or Manage security settings role.');
    expect(await page.getByRole('button', { name: /^Remove tag/ }).count()).toBe(0);
    const live = page.getByRole('button', { name: 'Initiate live response session' });
    expect(await live.getAttribute('title')).toBe('Needs the Live response basic or Live response advanced role');
    await visit(page, '#/library', (p) => p.getByRole('heading', { level: 1 }).waitFor());
    const text = await page.locator('main').textContent();
    expect(text).not.toMatch(/Library\.Manage|Machine\.LiveResponse|addOrRemoveTag/);
  }, 60_000);
});

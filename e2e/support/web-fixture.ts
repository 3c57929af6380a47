/**
 * One setup for every browser test: Debian's Chromium driven by playwright-core against a real
 * `cordon server` (self-signed TLS, SQLite) with a signed-in person, and real `cordon agent`s on the
 * fake platform. Also the checks every page must pass: axe-core with zero violations, no sideways
 * scroll at a phone's width, and screenshots saved to artifacts/screenshots (gitignored) at the
 * desktop and phone sizes in light and dark mode, for a person to look at.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { Api, freePort, killAll, NODE_ARGS, ROOT, runCordon, spawnCordon, waitFor, type Proc } from './cluster.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'artifacts', 'screenshots');
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };
export const USER = { name: 'e2e-analyst', displayName: 'Erin Analyst', password: 'e2e password 1234' };

export interface WebFixture {
  dir: string;
  base: string;
  server: Proc;
  api: Api;
  serverEnv: Record<string, string>;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Starts a `cordon agent` on the fake platform named `name` and waits until it is connected. */
  startAgent(name: string, env?: Record<string, string>): Promise<Proc>;
  /** A fresh signed-in page in a new context (own viewport, colour scheme); closed by close(). */
  signedInPage(options?: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark'; user?: { name: string; password: string } }): Promise<Page>;
  close(): Promise<void>;
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** `cordon users create` with the password on stdin (runCordon gives its children no stdin). */
export async function createUser(env: Record<string, string>, user: { name: string; displayName: string; password: string; roles?: string }): Promise<void> {
  const child = spawn(process.execPath, [...NODE_ARGS, 'users', 'create', '--name', user.name, '--display-name', user.displayName, '--roles', user.roles ?? 'all', '--password-stdin'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(`${user.password}\n`);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`users create failed (${code}): ${out}`);
}

/** Builds the UI, starts the server with a person and opens a signed-in page at DESKTOP size. */
export async function startWebFixture(options: { serverEnv?: Record<string, string> } = {}): Promise<WebFixture> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it) to run the browser tests`);
  }
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: join(ROOT, 'packages/web'), encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}${build.stdout}`);
  await mkdir(SHOTS, { recursive: true });

  const dir = await mkdtemp(join(tmpdir(), 'cordon-web-e2e-'));
  const port = await freePort();
  const serverEnv = {
    CORDON_DATA: join(dir, 'server'),
    CORDON_PORT: String(port),
    CORDON_TLS_SELF_SIGNED: '1',
    CORDON_LOG_LEVEL: 'warn',
    CORDON_HEARTBEAT_SECONDS: '1',
    CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 }, getPackageUri: { perMinute: 1000, perHour: 10_000 } }),
    ...options.serverEnv,
  };
  const server = spawnCordon(['server'], serverEnv);
  await waitFor('server to listen', () => server.output().includes('listening on') || undefined, 30_000);
  const base = `https://127.0.0.1:${port}`;
  const api = new Api(base);
  await api.login(join(dir, 'server', 'credentials.json'));
  await createUser(serverEnv, USER);

  const pkg = await runCordon(['onboarding-package'], serverEnv);
  if (pkg.code !== 0) throw new Error(`onboarding-package failed: ${pkg.output}`);
  const onboarding = join(dir, 'onboarding.json');
  await writeFile(onboarding, pkg.stdout);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];

  const startAgent = async (name: string, env: Record<string, string> = {}): Promise<Proc> => {
    const agent = spawnCordon(['agent', '--state', join(dir, `agent-${name}`), '--platform', 'fake', '--name', name, '--onboarding', onboarding], {
      CORDON_AGENT_BACKOFF_MIN_MS: '100',
      CORDON_AGENT_BACKOFF_MAX_MS: '1000',
      ...env,
    });
    await waitFor(`agent ${name} to connect`, () => agent.output().includes('"msg":"connected"') || undefined, 30_000);
    return agent;
  };

  const signedInPage: WebFixture['signedInPage'] = async ({ viewport = DESKTOP, colorScheme = 'light', user = USER } = {}) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport, colorScheme, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(base);
    await page.getByLabel('User name').fill(user.name);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header .who').waitFor();
    return page;
  };

  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: DESKTOP, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  return {
    dir,
    base,
    server,
    api,
    serverEnv,
    browser,
    context,
    page,
    startAgent,
    signedInPage,
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      killAll();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** axe-core's WCAG 2.x A/AA rules on the page as it is now; throws listing every violation. */
export async function expectNoA11yViolations(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  if (result.violations.length > 0) {
    const lines = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
    throw new Error(`axe-core found ${result.violations.length} violation(s) on ${what}:\n${lines.join('\n')}`);
  }
}

/** The page scrolls only vertically: nothing is wider than the viewport (a phone at 390 px). */
export async function expectNoHorizontalScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
    const root = document.documentElement;
    let widest = '';
    let max = 0;
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const right = el.getBoundingClientRect().right;
      if (right > max) {
        max = right;
        widest = `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`;
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest };
  });
  if (scrollWidth > clientWidth) throw new Error(`${what} scrolls sideways: ${scrollWidth}px wide in a ${clientWidth}px viewport (widest element: ${widest})`);
}

/** The page's background is dark (luminance below 0.2): prefers-color-scheme: dark is honoured. */
export async function expectDarkBackground(page: Page, what: string): Promise<void> {
  const rgb = await page.evaluate(() => {
    const pick = (el: Element) => getComputedStyle(el).backgroundColor;
    const body = pick(document.body);
    return body === 'rgba(0, 0, 0, 0)' ? pick(document.documentElement) : body;
  });
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['255', '255', '255']).map(Number);
  const lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  if (lum >= 0.2) throw new Error(`${what} is not dark under prefers-color-scheme: dark: background ${rgb}`);
}

/** Saves `<name>.png` (full page) to artifacts/screenshots. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

// Debian's Chromium, driven by playwright-core. No browser is ever downloaded: when it is missing
// the suite fails and says how to install it (CI installs it in .ci/run).
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts');

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH; the end-to-end tests never download a browser.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far (each test asserts there are none). */
  errors: string[];
}

export async function openPage(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<TrackedPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // The browser logs failed requests the app itself handles (a 422 from a save with errors).
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('dialog', (d) => void d.accept());
  return { page, context, errors };
}

/** Screenshots are kept in e2e/artifacts (gitignored) for people to look at. */
export async function shot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/**
 * Signs in through the real sign-in page (as a person would): the session cookie is then sent by
 * every page and API call of the page's browser context. Ends on the page `next` names.
 */
export async function signIn(tab: TrackedPage, base: string, email: string, password: string, next = '/main/flows') {
  const { page } = tab;
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
}

export interface SignedInBrowser {
  /** The web app's URL (inject('apiUrl')). */
  base: string;
  browser: Browser;
  /** The page signed in, with the console errors it has seen. */
  tab: TrackedPage;
  /** tab.page */
  page: Page;
}

/**
 * What most e2e files need around their tests: a browser launched before them, one page signed in
 * through the real sign-in page (as the test admin unless `as` says who), the browser closed after.
 * Call it at the top level of a test file; the fields are set once its beforeAll has run, so read
 * them inside tests (`const { page, base } = session;`).
 */
export function useSignedInBrowser(options: { as?: () => { email: string; password: string }; next?: string } = {}): SignedInBrowser {
  const session = {} as SignedInBrowser;
  beforeAll(async () => {
    session.base = inject('apiUrl');
    session.browser = await launch();
    session.tab = await openPage(session.browser);
    session.page = session.tab.page;
    const who = options.as?.() ?? { email: inject('adminEmail'), password: inject('adminPassword') };
    await signIn(session.tab, session.base, who.email, who.password, options.next);
  });
  afterAll(async () => {
    await session.browser?.close();
  });
  return session;
}

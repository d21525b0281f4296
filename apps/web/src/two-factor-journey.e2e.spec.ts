/**
 * Two-factor authentication end to end: `start.js` (api, workers, web over a fresh database) and Debian's Chromium
 * driven by playwright-core. A visitor registers, turns 2FA on at /account/two-factor (the test computes the code from
 * the key the page shows, as an authenticator app would), keeps the recovery codes, signs out, signs in with a code,
 * is refused the same code again (replay), signs in with a recovery code once and is refused it the second time (at
 * phone width, submitting with the keyboard). Every page visited passes the accessibility check; screenshots go to
 * apps/web/test-results/two-factor-journey/ (git-ignored).
 */
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { startStack, totpCode, type Stack } from '../../../infra/src/testing';
import { expectAccessible } from './test-support/accessibility';
import { launchChromium, RESULTS_ROOT, screenshots } from './test-support/browser';
import { ensureWebBuild } from './test-support/web-build';

jest.setTimeout(300_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WEB_ROOT = resolve(__dirname, '..');
const ADA = { email: 'ada@example.com', password: 'correct-horse-battery', name: 'Ada Lovelace' };

let stack: Stack | undefined;
let webUrl: string;
let browser: Browser | null = null;
const shot = screenshots(join(RESULTS_ROOT, 'two-factor-journey'));

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({ name: 'two-factor-journey' });
  webUrl = stack.urls.web;
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** Past the sign-in pages (the dashboard, or /organizations while the new account's membership is projected). */
const signedIn = (url: URL) => !url.pathname.startsWith('/login');

async function signOut(page: Page): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/login', { timeout: 30_000 }),
    page.getByTestId('logout').click(),
  ]);
}

/** Email and password; 2FA is on, so the portal asks for the second factor next. */
async function signInToSecondStep(page: Page): Promise<void> {
  await page.goto(`${webUrl}/login`);
  await page.locator('input[name="email"]').fill(ADA.email);
  await page.locator('input[name="password"]').fill(ADA.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/login/two-factor', { timeout: 30_000 }),
    page.getByTestId('login-submit').click(),
  ]);
  await expectAccessible(page);
}

test('enable 2FA → sign out → sign in with a code → the same code is refused → a recovery code works once', async () => {
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto(`${webUrl}/register`);
  await page.locator('input[name="name"]').fill(ADA.name);
  await page.locator('input[name="email"]').fill(ADA.email);
  await page.locator('input[name="password"]').fill(ADA.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/register', { timeout: 30_000 }),
    page.getByTestId('register-submit').click(),
  ]);

  // Settings: off, then set up (QR code and key), then on with a code from the key.
  await page.goto(`${webUrl}/account/two-factor`);
  expect(await page.getByTestId('two-factor-status').textContent()).toContain(
    'someone who learns your password',
  );
  await expectAccessible(page);
  await page.getByTestId('setup-2fa').click();
  await page.getByTestId('two-factor-secret').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('qr-code').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  const secret = ((await page.getByTestId('two-factor-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await shot(page, 'setup');
  await expectAccessible(page);

  await page.locator('input[name="code"]').fill('000000');
  await page.getByTestId('enable-2fa').click();
  await page.getByTestId('error-code').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('error-code').textContent()).toContain('not valid');
  await expectAccessible(page);

  const enabledAt = Date.now();
  await page.locator('input[name="code"]').fill(totpCode(secret, enabledAt));
  await page.getByTestId('enable-2fa').click();
  await page.getByTestId('recovery-codes').waitFor({ timeout: 30_000 });
  const recoveryCodes = (await page.getByTestId('recovery-code').allTextContents()).map((c) => c.trim());
  expect(recoveryCodes).toHaveLength(10);
  await shot(page, 'recovery-codes');
  await expectAccessible(page);
  await page.goto(`${webUrl}/account/two-factor`);
  expect(await page.getByTestId('two-factor-status').textContent()).toContain('turn it off');
  // Shown once: the settings page no longer lists them.
  expect(await page.getByTestId('recovery-code').count()).toBe(0);
  await expectAccessible(page);

  // Sign out, then in with the next code (the enabling code's step is spent).
  await signOut(page);
  await expectAccessible(page);
  await signInToSecondStep(page);
  await shot(page, 'second-step');
  const nextCode = totpCode(secret, enabledAt + 30_000);
  await page.locator('input[name="code"]').fill(nextCode);
  await Promise.all([page.waitForURL(signedIn, { timeout: 30_000 }), page.getByTestId('mfa-submit').click()]);
  await expectAccessible(page);

  // The same code again is refused.
  await signOut(page);
  await signInToSecondStep(page);
  await page.locator('input[name="code"]').fill(nextCode);
  await page.getByTestId('mfa-submit').click();
  await page.getByTestId('error-code').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('error-code').textContent()).toContain('already used');
  expect(new URL(page.url()).pathname).toBe('/login/two-factor');
  await shot(page, 'code-reused');
  await expectAccessible(page);

  // A recovery code instead (same sign-in: one refused code leaves attempts).
  await page.getByText('Use a recovery code instead').click();
  await page.locator('input[name="recoveryCode"]').fill(recoveryCodes[0]);
  await Promise.all([
    page.waitForURL(signedIn, { timeout: 30_000 }),
    page.getByTestId('recovery-submit').click(),
  ]);
  await expectAccessible(page);
  await signOut(page);

  // At phone width, with the keyboard: the spent recovery code is refused.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const mobile = await phone.newPage();
  mobile.on('pageerror', (error) => pageErrors.push(error.message));
  await signInToSecondStep(mobile);
  await mobile.getByText('Use a recovery code instead').click();
  await mobile.locator('input[name="recoveryCode"]').fill(recoveryCodes[0]);
  await mobile.locator('input[name="recoveryCode"]').press('Enter');
  await mobile.getByTestId('error-recoveryCode').waitFor({ timeout: 30_000 });
  expect(await mobile.getByTestId('error-recoveryCode').textContent()).toContain(
    'not valid or was already used',
  );
  await shot(mobile, 'recovery-code-reused-phone');
  await expectAccessible(mobile);

  expect(pageErrors).toEqual([]);
});

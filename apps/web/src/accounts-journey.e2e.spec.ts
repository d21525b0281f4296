/**
 * Accounts, end to end: `start.js` with REQUIRE_VERIFIED_EMAIL on, and Debian's Chromium. A visitor registers, is
 * asked to verify their address, follows the verification link, changes their password, sees their sessions and
 * signs out everywhere else, then (in another browser) resets the password from the link on the login page; the
 * first browser's session is refused afterwards. Every portal page visited passes the WCAG 2.1 AA check.
 *
 * The verification and reset links are followed from the mails themselves, as Mailpit (started by the launcher)
 * received them.
 */
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { LINK_TOKEN_PAGES, type LinkTokenEvent } from '@stratus/domain';
import {
  apiCall,
  mailpitClient,
  startStack,
  waitFor,
  type ApiCall,
  type Stack,
} from '../../../infra/src/testing';
import { expectAccessible } from './test-support/accessibility';
import { launchChromium, RESULTS_ROOT, screenshots } from './test-support/browser';
import { ensureWebBuild } from './test-support/web-build';

jest.setTimeout(300_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WEB_ROOT = resolve(__dirname, '..');
const CUSTOMER = { email: 'ada@example.com', password: 'first-password-123', name: 'Ada Lovelace' };
const CHANGED = 'second-password-456';
const RESET = 'third-password-789';

let stack: Stack | undefined;
let call: ApiCall;
let webUrl: string;
let browser: Browser | null = null;
const shot = screenshots(join(RESULTS_ROOT, 'accounts'));

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({
    name: 'accounts-journey',
    env: { REQUIRE_VERIFIED_EMAIL: 'true' },
  });
  webUrl = stack.urls.web;
  call = apiCall(stack.urls.api);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** The portal link in the newest mail to `email` that carries a link of this kind, as Mailpit received it. */
async function linkFor(type: LinkTokenEvent, email: string): Promise<string> {
  const mailpit = mailpitClient(stack!.urls.mailpit);
  const link = await waitFor(
    `the ${type} mail to ${email} in Mailpit`,
    async () => ({
      value: (await mailpit.latestLink(email, `${LINK_TOKEN_PAGES[type]}?token=`)) ?? undefined,
      seen: (await mailpit.messagesTo(email)).map((m) => m.Subject),
    }),
    60_000,
    500,
  );
  // The link leads to this portal.
  expect(new URL(link).origin).toBe(webUrl);
  return link;
}

async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expectAccessible(page);
}

test('register, verify from the link, change the password, sign out elsewhere, reset from the link: the old session is refused', async () => {
  browser = await launchChromium();
  const first = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await first.newPage();

  // Register: signed in at once, asked to verify the address.
  await visit(page, `${webUrl}/register`);
  await page.locator('input[name="name"]').fill(CUSTOMER.name);
  await page.locator('input[name="email"]').fill(CUSTOMER.email);
  await page.locator('input[name="password"]').fill(CUSTOMER.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/dashboard', { timeout: 30_000 }),
    page.getByTestId('register-submit').click(),
  ]);
  await page.getByTestId('verify-banner').waitFor();
  await expectAccessible(page);
  await shot(page, '01-verify-banner');

  // Follow the verification link.
  await visit(page, await linkFor('EmailVerificationRequested', CUSTOMER.email));
  await page.getByTestId('verify-submit').click();
  await page.getByTestId('verify-notice').waitFor();
  await expectAccessible(page);
  await page.goto(`${webUrl}/dashboard`);
  expect(await page.getByTestId('verify-banner').count()).toBe(0);

  // Change the password on /account.
  await visit(page, `${webUrl}/account`);
  await page.locator('input[name="currentPassword"]').fill(CUSTOMER.password);
  await page.locator('input[name="newPassword"]').fill(CHANGED);
  await page.locator('input[name="confirmPassword"]').fill(CHANGED);
  await page.getByTestId('change-password').click();
  await page.getByTestId('password-notice').waitFor();
  await expectAccessible(page);

  // Another session (an API client) shows up in the list; "sign out everywhere else" ends it.
  const elsewhere = await call('POST', '/auth/login', { body: { email: CUSTOMER.email, password: CHANGED } });
  expect(elsewhere.status).toBe(200);
  await waitFor(
    'both sessions listed',
    async () => {
      await page.goto(`${webUrl}/account`);
      const listed = await page.getByTestId('session').count();
      return { value: listed === 2 ? listed : undefined, seen: listed };
    },
    30_000,
  );
  await expectAccessible(page);
  await shot(page, '02-sessions');
  await page.getByTestId('sign-out-everywhere').click();
  await page.getByTestId('sessions-notice').waitFor();
  expect((await call('GET', '/me', { token: elsewhere.body.token as string })).status).toBe(401);
  // At phone width the page still reads and works.
  await page.setViewportSize({ width: 390, height: 844 });
  await visit(page, `${webUrl}/account`);
  await shot(page, '03-account-phone');

  // Another browser: forgot password → link → new password → log in with it.
  const second = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const other = await second.newPage();
  await visit(other, `${webUrl}/login`);
  await Promise.all([
    other.waitForURL((url) => url.pathname === '/forgot-password'),
    other.getByTestId('forgot-password').click(),
  ]);
  await expectAccessible(other);
  await other.locator('input[name="email"]').fill(CUSTOMER.email);
  await other.getByTestId('forgot-submit').click();
  await other.getByTestId('forgot-notice').waitFor();
  await expectAccessible(other);
  await visit(other, await linkFor('PasswordResetRequested', CUSTOMER.email));
  await other.locator('input[name="password"]').fill(RESET);
  await other.locator('input[name="confirmPassword"]').fill(RESET);
  await Promise.all([
    other.waitForURL((url) => url.pathname === '/login', { timeout: 30_000 }),
    other.getByTestId('reset-submit').click(),
  ]);
  await other.getByTestId('reset-done').waitFor();
  await expectAccessible(other);
  await other.locator('input[name="email"]').fill(CUSTOMER.email);
  await other.locator('input[name="password"]').fill(RESET);
  await Promise.all([
    other.waitForURL((url) => url.pathname === '/dashboard', { timeout: 30_000 }),
    other.getByTestId('login-submit').click(),
  ]);
  await expectAccessible(other);

  // The first browser's session ended with the reset: the portal sends it to the login page.
  await page.goto(`${webUrl}/account`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await expectAccessible(page);

  // Logging out ends the session on the API, not just in the browser.
  const [cookie] = (await second.cookies()).filter((c) => c.name === 'stratus_session');
  expect((await call('GET', '/me', { token: cookie.value })).status).toBe(200);
  await other.setViewportSize({ width: 1280, height: 900 });
  await Promise.all([
    other.waitForURL((url) => url.pathname === '/login'),
    other.getByTestId('logout').click(),
  ]);
  expect((await call('GET', '/me', { token: cookie.value })).status).toBe(401);
  await shot(other, '04-logged-out');
});

/**
 * Teams, end to end: `start.js` and Debian's Chromium. An owner creates a custom role and invites a second user by
 * email with it; the second user, signed out, follows the verification link and then the invitation link from the
 * mails Mailpit received, signs in (the portal brings them back to the invitation), accepts, and appears as a
 * member with the custom role; the pending invitation is gone. Every portal page visited passes the WCAG 2.1 AA
 * check, at desktop and phone width; forms are submitted from the keyboard.
 */
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { INVITATION_PAGE, LINK_TOKEN_PAGES } from '@stratus/domain';
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
const OWNER = { email: 'olive@example.com', password: 'owner-password-123', name: 'Olive Owner' };
const GUEST = { email: 'gus@example.com', password: 'guest-password-123', name: 'Gus Guest' };
const ROLE = 'Billing clerk';

let stack: Stack | undefined;
let call: ApiCall;
let webUrl: string;
let browser: Browser | null = null;
const shot = screenshots(join(RESULTS_ROOT, 'teams'));

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({ name: 'teams-journey' });
  webUrl = stack.urls.web;
  call = apiCall(stack.urls.api);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** The newest portal link below `path` in a mail to `email`, as Mailpit received it. */
async function mailedLink(email: string, path: string): Promise<string> {
  const mailpit = mailpitClient(stack!.urls.mailpit);
  const link = await waitFor(
    `a ${path} link mailed to ${email}`,
    async () => {
      const found = await mailpit.latestLink(email, path);
      return { value: found ?? undefined, seen: (await mailpit.messagesTo(email)).map((m) => m.Subject) };
    },
    60_000,
    500,
  );
  expect(new URL(link).origin).toBe(webUrl);
  return link;
}

async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expectAccessible(page);
}

test('an owner invites a second user with a custom role; the user accepts from the mailed link and is a member', async () => {
  browser = await launchChromium();
  const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const owner = await ownerContext.newPage();

  // The owner registers and opens the members page.
  await visit(owner, `${webUrl}/register`);
  await owner.locator('input[name="name"]').fill(OWNER.name);
  await owner.locator('input[name="email"]').fill(OWNER.email);
  await owner.locator('input[name="password"]').fill(OWNER.password);
  await Promise.all([
    owner.waitForURL((url) => url.pathname === '/dashboard', { timeout: 30_000 }),
    owner.getByTestId('register-submit').click(),
  ]);
  await visit(owner, `${webUrl}/organizations`);
  await owner.getByTestId('members').waitFor();

  // A custom role from two permissions, made with the keyboard.
  await owner.locator('#new-role-name').fill(ROLE);
  await owner.locator('#new-perm-billing_view').check();
  await owner.locator('#new-perm-billing_manage').focus();
  await owner.keyboard.press('Space');
  await owner.getByTestId('create-role-submit').focus();
  await owner.keyboard.press('Enter');
  await owner
    .getByTestId('org-notice')
    .filter({ hasText: `Role ${ROLE} created` })
    .waitFor();
  const roleRow = owner.locator(`[data-testid="role"][data-name="${ROLE}"]`);
  await roleRow.waitFor();
  expect(await roleRow.textContent()).toContain('billing view, billing manage');
  await expectAccessible(owner);
  await shot(owner, '01-role-created');

  // The invitation, with the custom role; it is listed as pending.
  await owner.locator('#invite-role').selectOption({ label: ROLE });
  await owner.getByTestId('invite-form').locator('input[name="email"]').fill(GUEST.email);
  await owner.getByTestId('invite-form').locator('input[name="email"]').press('Enter');
  await owner
    .getByTestId('org-notice')
    .filter({ hasText: `Invitation mailed to ${GUEST.email}` })
    .waitFor();
  const pending = owner.locator(`[data-testid="invitation"][data-email="${GUEST.email}"]`);
  await pending.waitFor();
  expect(await pending.textContent()).toContain(ROLE);
  await expectAccessible(owner);
  await shot(owner, '02-invitation-pending');

  // The guest registers elsewhere (an API client) and, signed out in the browser, confirms their address from
  // the mail.
  const registered = await call('POST', '/auth/register', { body: GUEST });
  expect(registered.status).toBe(201);
  const guestContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const guest = await guestContext.newPage();
  await visit(guest, await mailedLink(GUEST.email, LINK_TOKEN_PAGES.EmailVerificationRequested));
  await guest.getByTestId('verify-submit').click();
  await guest.getByTestId('verify-notice').waitFor();

  // The invitation link from the mail: signed out, the portal asks to log in and comes back to it.
  const invitationLink = await mailedLink(GUEST.email, `${INVITATION_PAGE}/`);
  await guest.goto(invitationLink);
  expect(new URL(guest.url()).pathname).toBe('/login');
  expect(new URL(guest.url()).searchParams.get('next')).toBe(new URL(invitationLink).pathname);
  await expectAccessible(guest);
  await guest.locator('input[name="email"]').fill(GUEST.email);
  await guest.locator('input[name="password"]').fill(GUEST.password);
  await Promise.all([
    guest.waitForURL((url) => url.pathname === new URL(invitationLink).pathname, { timeout: 30_000 }),
    guest.locator('input[name="password"]').press('Enter'),
  ]);
  await guest.getByTestId('invitation').waitFor();
  expect(await guest.getByTestId('invitation-organization').textContent()).toBe("Olive Owner's organization");
  expect(await guest.getByTestId('invitation').textContent()).toContain(ROLE);
  await expectAccessible(guest);
  await shot(guest, '03-invitation-phone');

  // Accepting joins the organization and makes it the active one.
  await guest.getByTestId('accept-invitation').focus();
  await Promise.all([
    guest.waitForURL((url) => url.pathname === '/organizations', { timeout: 30_000 }),
    guest.keyboard.press('Enter'),
  ]);
  const guestRow = guest.locator(`[data-testid="member"][data-email="${GUEST.email}"]`);
  await guestRow.waitFor();
  expect(await guestRow.getByTestId('member-role').textContent()).toBe(ROLE);
  await expectAccessible(guest);
  await shot(guest, '04-member-phone');
  // The link has been used.
  await visit(guest, invitationLink);
  expect(await guest.getByTestId('invitation-problem').textContent()).toContain('already accepted');

  // The owner sees the new member with the custom role, and no pending invitation.
  await visit(owner, `${webUrl}/organizations`);
  const asOwnerSees = owner.locator(`[data-testid="member"][data-email="${GUEST.email}"]`);
  await asOwnerSees.waitFor();
  expect(await asOwnerSees.locator('select').inputValue()).toBe(
    (await owner.locator('#invite-role option', { hasText: ROLE }).getAttribute('value')) ?? '',
  );
  await owner.getByTestId('no-invitations').waitFor();
  await owner.setViewportSize({ width: 390, height: 844 });
  await visit(owner, `${webUrl}/organizations`);
  await shot(owner, '05-members-phone');
});

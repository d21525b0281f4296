/**
 * Test support for the portal's browser journeys: Debian's Chromium through playwright-core (no browser download),
 * with the flags a headless run in a container needs, and screenshots into apps/web/test-results/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** apps/web/test-results: where the journeys leave their screenshots. */
export const RESULTS_ROOT = join(resolve(__dirname, '..', '..'), 'test-results');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** A screenshot taker for `dir` (created when needed): `shot(page, 'dashboard')` writes dashboard.png. */
export function screenshots(
  dir: string,
): (page: Page, name: string, options?: { fullPage?: boolean }) => Promise<void> {
  return async (page, name, options = {}) => {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: options.fullPage ?? true });
  };
}

/**
 * The Content-Security-Policy violations of every page of `context` from now on, as they happen: the page's
 * `securitypolicyviolation` events and Chromium's console reports (a blocked WebSocket, script or style).
 */
export async function cspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`),
    );
  });
  context.on('console', (message) => {
    const text = message.text();
    if (/CSP violation|Content Security Policy/i.test(text))
      violations.push(`${message.page()?.url()}: ${text}`);
  });
  return violations;
}

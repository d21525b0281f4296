/**
 * Test support for the portal's browser journeys: a WCAG 2.1 A/AA check of the page as it is now, by axe-core
 * injected into the page (no browser extension, no network). Every journey calls it on every page it visits, so a
 * colour, a label or a landmark that breaks accessibility fails the journey that shows it.
 */
import type { Page } from 'playwright-core';

/** The WCAG 2.1 A and AA rules (axe's tags), nothing best-practice only. */
export const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface AccessibilityFinding {
  rule: string;
  impact: string | null;
  help: string;
  /** CSS selectors of the offending nodes (the first few) and axe's summary of what is wrong there. */
  nodes: { target: string; summary: string }[];
}

const MAX_NODES_SHOWN = 5;

/** Runs axe-core's WCAG 2.1 AA rules on the page's document; an empty list is a clean page. */
export async function accessibilityFindings(page: Page): Promise<AccessibilityFinding[]> {
  const injected = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!injected) {
    // Evaluated by the driver, not added as an inline <script>: the portal's Content-Security-Policy refuses those.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- axe-core ships its browser bundle as `.source`
    await page.evaluate((require('axe-core') as { source: string }).source);
  }
  return page.evaluate(
    async (tags) => {
      type AxeResult = {
        violations: {
          id: string;
          impact?: string | null;
          help: string;
          nodes: { target: unknown[]; failureSummary?: string }[];
        }[];
      };
      const axe = (
        window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResult> } }
      ).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact ?? null,
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target.map(String).join(' '),
          summary: n.failureSummary ?? '',
        })),
      }));
    },
    [...WCAG_21_AA_TAGS],
  );
}

/** Readable findings for a test failure: rule, impact, what it means, where. */
export function describeFindings(where: string, findings: AccessibilityFinding[]): string {
  const lines = [`${findings.length} WCAG 2.1 AA violation(s) on ${where}:`];
  for (const finding of findings) {
    lines.push(`- ${finding.rule} (${finding.impact ?? 'n/a'}): ${finding.help}`);
    for (const node of finding.nodes.slice(0, MAX_NODES_SHOWN)) {
      lines.push(`    ${node.target}: ${node.summary.replace(/\s+/g, ' ').trim()}`);
    }
    if (finding.nodes.length > MAX_NODES_SHOWN)
      lines.push(`    …and ${finding.nodes.length - MAX_NODES_SHOWN} more`);
  }
  return lines.join('\n');
}

/** Fails with axe's findings unless the page, as it is now, has no WCAG 2.1 A/AA violation. */
export async function expectAccessible(page: Page, name?: string): Promise<void> {
  const findings = await accessibilityFindings(page);
  if (findings.length) throw new Error(describeFindings(name ?? new URL(page.url()).pathname, findings));
}

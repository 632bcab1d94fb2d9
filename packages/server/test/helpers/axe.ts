import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core finding, named by the page it was found on. */
export interface AxeViolation {
  page: string;
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

interface AxeWindow {
  axe: {
    run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }>;
  };
}

/**
 * axe-core's default rules on the page as it is. Its source is evaluated through the DevTools
 * protocol, so the page's strict CSP stays on (a script tag would be refused).
 */
export async function axeViolations(page: Page, label: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const { axe } = window as unknown as AxeWindow;
    return (await axe.run(document, { resultTypes: ['violations'], iframes: false })).violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return found.map((v) => ({ page: label, ...v }));
}

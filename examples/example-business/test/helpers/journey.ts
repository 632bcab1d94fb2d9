import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { AXE_SOURCE, type AxeViolation, axeViolations } from '../../../../packages/server/test/helpers/axe.js';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../../../../packages/server/test/helpers/smtp-sink.js';
import { WAIT_GUARD_MS } from '../../../../packages/server/test/helpers/wait.js';
import { type Stack, type StackOptions, startStack } from './stack.js';

// What every Chromium journey starts with, once per file: Gatehouse and the example app (one
// stack), an SMTP sink when mail is read, and one Chromium; each test opens fresh browser
// contexts (no cookies shared) in it. Launching Chromium and starting a server cost seconds on a
// loaded machine, a context a fraction of one.

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A journey of many pages, each waited for by Playwright: a guard against a hang, not a measure. */
export const JOURNEY_GUARD_MS = 6 * WAIT_GUARD_MS;

// Set to a directory to keep a screenshot of each page looked at (docs show some of them).
const SCREENSHOTS = process.env.TEST_SCREENSHOTS;

export interface JourneyOptions extends StackOptions {
  /** Gatehouse's environment (beyond the test context's). */
  env?: Record<string, string>;
  /** A real SMTP sink of the file's own, as Gatehouse's GATEHOUSE_SMTP_URL. */
  smtp?: boolean;
  /** Runs once the stack is up, before any test (issuer settings and the like). */
  setup?: (stack: Stack) => Promise<void>;
}

export interface Journey {
  readonly stack: Stack;
  readonly browser: Browser;
  readonly sink: SmtpSink;
  /** Every axe-core finding of the pages looked at so far. */
  readonly violations: AxeViolation[];
  /**
   * A fresh browser context (no cookies) with one page. With `preloadAxe`, axe-core is loaded
   * into every document of the context (for a context that checks most pages it opens).
   */
  newPage(options?: BrowserContextOptions & { preloadAxe?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  /** axe-core's findings on the page as it is now, kept in `violations`; with TEST_SCREENSHOTS set, a screenshot named `screenshot`. */
  look(page: Page, label: string, screenshot?: string): Promise<void>;
  /** The newest mail to `email`, once Gatehouse's background sends have settled. */
  mailTo(email: string): Promise<ReceivedMail>;
}

/**
 * Registers the file's before/after hooks and returns the journey they start. Chromium launches
 * while the servers start.
 */
export function useJourney(options: JourneyOptions = {}): Journey {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let sink: SmtpSink | undefined;
  const violations: AxeViolation[] = [];

  before(
    async () => {
      // CI installs Chromium; a missing browser is a broken environment, not a reason to skip.
      if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
      const launched = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
      try {
        sink = options.smtp ? await startSmtpSink() : undefined;
        const mail: Record<string, string> = sink ? { GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' } : {};
        stack = await startStack({ ...mail, ...options.env }, options);
        await options.setup?.(stack);
      } finally {
        browser = await launched;
      }
    },
    { timeout: 2 * WAIT_GUARD_MS },
  );

  after(async () => {
    await browser?.close();
    await stack?.close();
    await sink?.close();
  });

  const journey: Journey = {
    get stack(): Stack {
      assert.ok(stack, 'the journey has started');
      return stack;
    },
    get browser(): Browser {
      assert.ok(browser, 'Chromium has started');
      return browser;
    },
    get sink(): SmtpSink {
      assert.ok(sink, 'the journey has an SMTP sink (smtp: true)');
      return sink;
    },
    violations,
    async newPage({ preloadAxe = false, ...contextOptions } = {}) {
      const context = await journey.browser.newContext(contextOptions);
      // axe-core is half a megabyte of script. Sent to a page when it is checked (look), it costs
      // a few hundred milliseconds; as an init script (not subject to the pages' CSP) it costs
      // less per checked page but is compiled and run in every document, checked or not.
      if (preloadAxe) await context.addInitScript(AXE_SOURCE);
      const page = await context.newPage();
      // Playwright waits for each page, selector and URL; its timeout is only a guard against a hang.
      page.setDefaultTimeout(WAIT_GUARD_MS);
      return { context, page };
    },
    async look(page, label, screenshot) {
      violations.push(...(await axeViolations(page, label)));
      if (SCREENSHOTS && screenshot) {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SCREENSHOTS, `${screenshot}.png`), fullPage: true });
      }
    },
    async mailTo(email) {
      await journey.stack.ctx.services.background.settled();
      const found = journey.sink.received.filter((m) => m.to.includes(email)).at(-1);
      assert.ok(found, `a mail to ${email}`);
      return found;
    },
  };
  return journey;
}

/** Whether a URL is at `route` under `base` (an origin, or Gatehouse's issuer with its path if it has one). */
export const at =
  (base: string, route: string) =>
  (url: URL): boolean =>
    url.href.startsWith(`${base}${route}`);

/** The trimmed text of the first element matching `selector`. */
export async function text(page: Page, selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? '').trim();
}

/** The violations as lines, for an assertion's message. */
export function listed(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.page}: ${v.id} ${v.help} (${v.targets.join(', ')})`).join('\n');
}

/** From the app's home page to Gatehouse's sign-in form (the authorization endpoint answers with it). */
export async function openSignIn(stack: Stack, page: Page): Promise<void> {
  await page.goto(`${stack.appUrl}/`);
  await page.click('#sign-in');
  await page.waitForURL(at(stack.issuer, '/oauth/authorize'));
}

/** Types the email and password into the sign-in form and submits it. */
export async function submitPassword(page: Page, email: string, password: string): Promise<void> {
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('#login-form button[type="submit"]');
}

/** Approves the consent page if the sign-in shows it (remembered consent skips it), then waits for the app's dashboard. */
export async function toDashboard(stack: Stack, page: Page): Promise<void> {
  const approve = page.locator('button#approve[name="decision"][value="approve"]');
  const dashboard = page.waitForURL((url) => url.origin === stack.appUrl && url.pathname === '/dashboard');
  await Promise.race([approve.waitFor().then(() => approve.click()), dashboard]);
  await dashboard;
}

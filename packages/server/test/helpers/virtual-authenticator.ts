import fs from 'node:fs';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { type Browser, type BrowserContext, type CDPSession, type Page, chromium } from 'playwright-core';
import { WAIT_GUARD_MS } from './wait.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'];

/**
 * Chromium with a CDP virtual authenticator (CTAP2, internal, resident keys, user
 * verification), for real WebAuthn responses: the page is a blank one Playwright serves at
 * whatever origin a test names (nothing leaves the machine), and the ceremonies run through
 * navigator.credentials with the options the server made. The browser itself enforces what a
 * browser enforces (the RP ID must be the page's host or a parent of it); what a test makes it
 * sign is what the server then checks.
 */
async function addAuthenticator(cdp: CDPSession): Promise<string> {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return authenticatorId;
}

export class VirtualAuthenticator {
  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly cdp: CDPSession,
    private authenticatorId: string,
  ) {}

  static async start(): Promise<VirtualAuthenticator> {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
    const context = await browser.newContext();
    // Every page any test opens is this empty document, at the origin asked for.
    await context.route('**/*', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>relying party</title>' }));
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_GUARD_MS);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    return new VirtualAuthenticator(browser, context, page, cdp, await addAuthenticator(cdp));
  }

  /** A new, empty authenticator in place of this one (Chromium's holds only a few resident keys). */
  async reset(): Promise<void> {
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.authenticatorId });
    this.authenticatorId = await addAuthenticator(this.cdp);
  }

  /** Puts the page at `origin` (e.g. https://login.gatehouse.test), where the next ceremony runs. */
  async at(origin: string): Promise<void> {
    if (new URL(this.page.url() === 'about:blank' ? 'http://x.invalid' : this.page.url()).origin !== origin) await this.page.goto(`${origin}/`);
  }

  /** Whether the authenticator reports the user as verified (a PIN or fingerprint that passes). */
  async setUserVerified(isUserVerified: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setUserVerified', { authenticatorId: this.authenticatorId, isUserVerified });
  }

  /** navigator.credentials.create at `origin` with the server's options (`rpId` overrides the RP ID the page claims); the credential as JSON. */
  async create(origin: string, options: PublicKeyCredentialCreationOptionsJSON, rpId?: string): Promise<string> {
    await this.at(origin);
    const json = rpId ? { ...options, rp: { ...options.rp, id: rpId } } : options;
    return this.page.evaluate(async (o) => {
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(o as PublicKeyCredentialCreationOptionsJSON);
      const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
      return JSON.stringify(credential.toJSON());
    }, json as unknown);
  }

  /** navigator.credentials.get at `origin` with the server's options, `overrides` (rpId, userVerification) on top; the assertion as JSON. */
  async get(origin: string, options: PublicKeyCredentialRequestOptionsJSON, overrides: Partial<PublicKeyCredentialRequestOptionsJSON> = {}): Promise<string> {
    await this.at(origin);
    return this.page.evaluate(
      async (o) => {
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(o as PublicKeyCredentialRequestOptionsJSON);
        const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
        return JSON.stringify(credential.toJSON());
      },
      { ...options, ...overrides } as unknown,
    );
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
    await this.browser.close();
  }
}

import assert from 'node:assert/strict';
import type { Hex } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { signInOnAccountPage } from '../helpers/account-pages.js';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';

/** Fixed test keys (the first accounts of the well-known development mnemonic): never real funds. */
export const KEY_A: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const KEY_B: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
export const ACCOUNT_A: PrivateKeyAccount = privateKeyToAccount(KEY_A);
export const ACCOUNT_B: PrivateKeyAccount = privateKeyToAccount(KEY_B);

/** More fixed test accounts, one per test where an address may be linked once per issuer: keys 0x…01, 0x…02, … */
export function testAccount(n: number): PrivateKeyAccount {
  return privateKeyToAccount(`0x${n.toString(16).padStart(64, '0')}`);
}

export const WALLETS_URL = `${ISSUER}/account/security/wallets`;

export function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Signs in on the wallets page's own sign-in form and expects the session. */
export async function signInForWallets(browser: HttpBrowser, email: string): Promise<void> {
  const res = await signInOnAccountPage(browser, email, undefined, WALLETS_URL);
  assert.equal(res.status, 303);
}

/** The wallets page of a signed-in browser, with the CSRF token of its forms. */
export async function walletsPage(browser: HttpBrowser): Promise<{ html: string; status: number; csrf: string }> {
  const res = await browser.request(WALLETS_URL);
  const html = await res.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { html, status: res.status, csrf };
}

export function post(browser: HttpBrowser, route: string, fields: Record<string, string>): Promise<Response> {
  return browser.request(`${WALLETS_URL}${route}`, { method: 'POST', headers: FORM_HEADERS, body: new URLSearchParams(fields).toString() });
}

/** Asks for the message to link `address`; returns it as the page shows it. */
export async function startLink(browser: HttpBrowser, csrf: string, address: string, chainId = '1'): Promise<string> {
  const res = await post(browser, '/start', { csrf, address, chain_id: chainId, label: 'Cold wallet' });
  const html = await res.text();
  assert.equal(res.status, 200, html.slice(0, 400));
  const message = /<textarea id="wallet-message" name="message" readonly="" rows="10" dir="ltr">([\s\S]*?)<\/textarea>/.exec(html)?.[1];
  assert.ok(message, `the page shows the message: ${html.slice(0, 400)}`);
  const attribute = /data-wallet-message="([^"]*)"/.exec(html)?.[1];
  assert.equal(unescapeHtml(attribute ?? ''), unescapeHtml(message), 'the script signs what the page shows');
  return unescapeHtml(message);
}

/** Posts a signed message to link; returns the answer. */
export function finishLink(browser: HttpBrowser, csrf: string, message: string, signature: string): Promise<Response> {
  return post(browser, '/link', { csrf, message, signature, label: 'Cold wallet' });
}

/** The page's refusal or confirmation line. */
export function formError(html: string): string | undefined {
  return /<p class="error" role="alert" id="form-error">([^<]*)<\/p>/.exec(html)?.[1];
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { User } from '../../src/store/repos/users.js';
import { FORM_HEADERS, codeFrom, formPost, isConsentPage, isLoginPage } from '../helpers/authorize-pages.js';
import { ACCOUNT_URL, notice, signInOnAccountPage } from '../helpers/account-pages.js';
import { authorizeUrl, inProcessBrowser, tokenRequest } from '../helpers/flow.js';
import { type TestContext, TEST_REDIRECT_URI, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER } from '../helpers/prefix.js';
import { VirtualAuthenticator } from '../helpers/virtual-authenticator.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';

// The passkeys through the hosted pages, in-process, with credentials from Chromium's virtual
// authenticator at the issuer's origin: adding one on the account page (only with a recent
// sign-in), signing in with it alone (amr and acr in the ID token), a replayed post, the throttle.
const ORIGIN = new URL(ISSUER).origin;
const PASSKEYS_URL = `${ISSUER}/account/security/passkeys`;

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The ceremony options a form carries for the page's script. */
function optionsIn<T>(html: string, formId: string): T {
  const tag = new RegExp(`<form[^>]*id="${formId}"[^>]*>`).exec(html)?.[0] ?? '';
  const raw = /data-options="([^"]*)"/.exec(tag)?.[1];
  assert.ok(raw, `form #${formId} has its options: ${html.slice(0, 400)}`);
  return JSON.parse(unescapeHtml(raw)) as T;
}

function idTokenClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function page(browser: HttpBrowser, url: string): Promise<Page> {
  const res = await browser.request(url);
  return { url, status: res.status, html: await res.text() };
}

describe('passkeys on the hosted pages', { timeout: 4 * WAIT_GUARD_MS }, () => {
  let ctx: TestContext;
  let authenticator: VirtualAuthenticator;
  let user: User;
  let client: { id: string; secret: string | null };

  before(async () => {
    ctx = await createTestContext();
    user = await createTestUser(ctx);
    const created = await createTestClient(ctx);
    client = { id: created.client.id, secret: created.secret };
    authenticator = await VirtualAuthenticator.start();
  });
  after(async () => {
    await authenticator?.close();
    await ctx?.close();
  });

  /** A browser signed in on the account pages with the password just now. */
  async function signedIn(): Promise<HttpBrowser> {
    const browser = inProcessBrowser(ctx);
    const res = await signInOnAccountPage(browser, user.email, undefined, ACCOUNT_URL);
    assert.equal(res.status, 303);
    return browser;
  }

  it('adds a passkey on the account page after a recent sign-in, and lists it', async () => {
    const browser = await signedIn();
    const before = await page(browser, PASSKEYS_URL);
    assert.equal(before.status, 200);
    assert.match(before.html, /id="no-passkeys"/);
    const options = optionsIn<PublicKeyCredentialCreationOptionsJSON>(before.html, 'add-passkey-form');
    assert.equal(options.rp.id, new URL(ISSUER).hostname);
    assert.equal(options.authenticatorSelection?.residentKey, 'required');
    const response = await authenticator.create(ORIGIN, options);
    const post = formPost(before, '/account/security/passkeys/add', { name: 'Work laptop', response });
    const added = await browser.request(post.url, { method: 'POST', headers: FORM_HEADERS, body: post.body });
    assert.equal(added.status, 303, await added.clone().text());
    const after = await page(browser, new URL(added.headers.get('location') ?? '', ISSUER).href);
    assert.equal(notice(after.html), 'The passkey was added.');
    assert.match(after.html, /<strong class="passkey-name">Work laptop<\/strong>/);
    // The same post again: its challenge is spent, nothing more is stored.
    const again = await browser.request(post.url, { method: 'POST', headers: FORM_HEADERS, body: post.body });
    assert.equal(again.status, 400);
    assert.equal((await ctx.scope.repos.passkeys.listForUser(user.id)).length, 1);
  });

  it('asks for a fresh sign-in to add or remove after five minutes, and links to /account/reauth', async () => {
    const browser = await signedIn();
    const fresh = await page(browser, PASSKEYS_URL);
    ctx.clock.advance(5 * 60 + 1);
    const stale = await page(browser, PASSKEYS_URL);
    assert.doesNotMatch(stale.html, /id="add-passkey-form"/);
    assert.match(stale.html, /<form method="post" action="[^"]*\/account\/reauth" id="passkeys-reauth-form">/);
    assert.doesNotMatch(stale.html, /id="remove-passkey-0"/);
    // Refused before any credential is looked at (a new resident key would replace the one the authenticator holds).
    const post = formPost(fresh, '/account/security/passkeys/add', { response: '{"id":"x"}' });
    const refused = await browser.request(post.url, { method: 'POST', headers: FORM_HEADERS, body: post.body });
    assert.equal(refused.status, 403);
    const [only] = await ctx.scope.repos.passkeys.listForUser(user.id);
    assert.ok(only);
    const remove = await browser.request(`${ISSUER}/account/security/passkeys/remove`, {
      method: 'POST',
      headers: FORM_HEADERS,
      body: new URLSearchParams({ csrf: formPost(fresh, '/add', {}).body.match(/csrf=([^&]*)/)?.[1] ?? '', id: only.id }).toString(),
    });
    assert.equal(remove.status, 403);
    assert.equal((await ctx.scope.repos.passkeys.listForUser(user.id)).length, 1);
  });

  it('refuses a post without the CSRF token of the session', async () => {
    const browser = await signedIn();
    const res = await browser.request(`${ISSUER}/account/security/passkeys/add`, {
      method: 'POST',
      headers: FORM_HEADERS,
      body: new URLSearchParams({ csrf: 'forged', response: '{}' }).toString(),
    });
    assert.equal(res.status, 403);
  });

  it('signs in with the passkey alone: amr hwk + user + mfa, acr 2fa; a replayed post signs no one in', async () => {
    const browser = inProcessBrowser(ctx);
    const request = authorizeUrl(client.id);
    const step = await browser.navigate(request.url, ISSUER);
    assert.ok(isLoginPage(step.page));
    const login = step.page;
    assert.match(login.html, /autocomplete="username webauthn"/);
    assert.match(login.html, /<script src="[^"]*\/assets\/passkeys\.js" defer="">/);
    const options = optionsIn<PublicKeyCredentialRequestOptionsJSON>(login.html, 'passkey-form');
    assert.equal(options.userVerification, 'required');
    const response = await authenticator.get(ORIGIN, options);
    const post = formPost(login, '/passkey', { response });
    const signedInStep = await browser.navigate(post.url, ISSUER, { method: 'POST', headers: FORM_HEADERS, body: post.body });
    assert.ok(isConsentPage(signedInStep.page), signedInStep.page?.html.slice(0, 400));
    const done = await browser.submit(signedInStep.page, '/consent', { decision: 'approve', scope: ['openid', 'profile', 'email'] }, ISSUER);
    const code = codeFrom(done.leftTo, { state: request.state });
    const tokens = await tokenRequest(ctx, client.id, client.secret, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: request.verifier,
    });
    assert.equal(tokens.status, 200);
    const claims = idTokenClaims(((await tokens.json()) as { id_token: string }).id_token);
    assert.equal(claims.sub, user.id);
    assert.deepEqual(claims.amr, ['hwk', 'user', 'mfa']);
    assert.equal(claims.acr, 'urn:gatehouse:acr:2fa');

    // The captured post, replayed in a new sign-in of another browser: its challenge was this interaction's, and is spent.
    const attacker = inProcessBrowser(ctx);
    const theirs = await attacker.navigate(authorizeUrl(client.id).url, ISSUER);
    assert.ok(isLoginPage(theirs.page));
    const replay = formPost(theirs.page, '/passkey', { response });
    const refused = await attacker.request(replay.url, { method: 'POST', headers: FORM_HEADERS, body: replay.body });
    assert.equal(refused.status, 401);
    assert.match(await refused.text(), /That passkey could not be verified/);
    const failures = await ctx.services.store.db.selectFrom('events').select('payload').where('type', '=', 'passkey.used_failed').execute();
    assert.ok(failures.some((e) => String(e.payload).includes('challenge')));
  });

  it('says what to do when the form is posted without the script, and throttles failures per interaction', async () => {
    const browser = inProcessBrowser(ctx);
    const step = await browser.navigate(authorizeUrl(client.id).url, ISSUER);
    assert.ok(isLoginPage(step.page));
    const empty = formPost(step.page, '/passkey', { response: '' });
    const noScript = await browser.request(empty.url, { method: 'POST', headers: FORM_HEADERS, body: empty.body });
    assert.equal(noScript.status, 400);
    assert.match(await noScript.text(), /Passkeys need JavaScript/);
    const { maxFailures } = ctx.scope.settings.login;
    const statuses: number[] = [];
    for (let i = 0; i < maxFailures + 1; i++) {
      const forged = formPost(step.page, '/passkey', {
        response: JSON.stringify({ id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: 'x' } }),
      });
      statuses.push((await browser.request(forged.url, { method: 'POST', headers: FORM_HEADERS, body: forged.body })).status);
    }
    // The empty post counted too: every attempt of the interaction does.
    assert.deepEqual(statuses.slice(0, maxFailures - 1), Array(maxFailures - 1).fill(400));
    assert.equal(statuses.at(-1), 429);
  });

  it('signs in to the account pages with a passkey, and removes it there', async () => {
    const browser = inProcessBrowser(ctx);
    const login = await page(browser, PASSKEYS_URL);
    assert.ok(isLoginPage(login));
    const response = await authenticator.get(ORIGIN, optionsIn<PublicKeyCredentialRequestOptionsJSON>(login.html, 'passkey-form'));
    const post = formPost(login, '/passkey', { response });
    const res = await browser.request(post.url, { method: 'POST', headers: FORM_HEADERS, body: post.body });
    assert.equal(res.status, 303);
    const list = await page(browser, PASSKEYS_URL);
    assert.match(list.html, /id="remove-passkey-0"/, 'a passkey sign-in is a recent sign-in');
    const removed = await browser.submit(list, '/account/security/passkeys/remove', {}, ISSUER);
    assert.equal(notice(removed.page?.html ?? ''), 'The passkey was removed.');
    assert.equal((await ctx.scope.repos.passkeys.listForUser(user.id)).length, 0);
    const events = await ctx.services.store.db.selectFrom('events').select('type').where('type', 'in', ['passkey.added', 'passkey.removed']).execute();
    assert.deepEqual(new Set(events.map((e) => e.type)), new Set(['passkey.added', 'passkey.removed']));
  });
});

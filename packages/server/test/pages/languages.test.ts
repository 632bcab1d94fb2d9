import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { interactionUid, openLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl } from '../helpers/flow.js';
import { type TestContext, TEST_PASSWORD, TEST_REDIRECT_URI, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { HttpBrowser, type Page } from '../helpers/http-browser.js';
import { createIssuer } from '../../src/issuers/service.js';
import { scopeOf } from '../../src/services.js';
import { at, atRe } from '../helpers/prefix.js';

/** A browser whose every request says Accept-Language: `languages` (none when undefined). */
function browserSpeaking(ctx: TestContext, languages?: string): HttpBrowser {
  return new HttpBrowser((input, init) => {
    const headers = new Headers(init?.headers);
    if (languages) headers.set('accept-language', languages);
    return Promise.resolve(ctx.app.request(input, { ...init, headers }));
  });
}

const htmlTag = (html: string): string => /<html[^>]*>/.exec(html)?.[0] ?? '';

describe('the hosted pages in the person’s language', () => {
  let ctx: TestContext;
  let clientId: string;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx)).client.id;
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  it('speaks the ui_locales of the authorization request on every page of its interaction, whatever the browser asks', async () => {
    const browser = browserSpeaking(ctx, 'fr');
    const login = await openLoginPage(browser, authorizeUrl(clientId, { ui_locales: 'nl de-AT en' }).url);
    assert.equal(htmlTag(login.html), '<html lang="de" dir="ltr">');
    assert.match(login.html, /<h1 id="page-title">Anmelden<\/h1>/);
    assert.match(login.html, /um mit <strong>Example Business<\/strong> fortzufahren/);

    const wrong = await browser.submit(login, '/login', { email, password: 'wrong password' }, ISSUER);
    assert.equal(wrong.page?.status, 401);
    assert.match(wrong.page?.html ?? '', /<p class="error" role="alert" id="login-error"[^>]*>E-Mail-Adresse oder Passwort ist falsch\.<\/p>/);

    const consent = await browser.submit(login, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    const html = consent.page?.html ?? '';
    assert.equal(htmlTag(html), '<html lang="de" dir="ltr">');
    assert.match(html, /<strong>Example Business<\/strong> möchte auf Ihr Konto zugreifen/);
    assert.match(html, /Ihren Namen, Benutzernamen und Ihr Profilbild sehen/);
    assert.match(html, />Erlauben<\/button>/);

    // A failure on a page of the interaction is told in its language too.
    const uid = interactionUid(html);
    const refused = await browser.request(`${ISSUER}/interaction/${uid}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=forged&decision=approve',
    });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Das Formular konnte nicht überprüft werden/);
  });

  it('keeps a language asked for on the account page through its own sign-in, to the page it ends on', async () => {
    const browser = browserSpeaking(ctx, 'de');
    const step = await browser.navigate(`${ISSUER}/account/apps?ui_locales=fr`, ISSUER);
    assert.ok(step.page);
    assert.equal(htmlTag(step.page.html), '<html lang="fr" dir="ltr">');
    const wrong = await browser.submit(step.page, '/login', { email, password: 'wrong password' }, ISSUER);
    assert.match(wrong.page?.html ?? '', /L’adresse e-mail ou le mot de passe est incorrect\./);
    const res = await browser.request(`${ISSUER}/interaction/${interactionUid(step.page.html)}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: /name="csrf" value="([^"]+)"/.exec(step.page.html)?.[1] ?? '', email, password: TEST_PASSWORD }).toString(),
    });
    assert.equal(res.headers.get('location'), `${ISSUER}/account/apps?ui_locales=fr`);
    const apps = await browser.navigate(res.headers.get('location') ?? '', ISSUER);
    assert.match(apps.page?.html ?? '', /<h1 id="page-title">Applications ayant accès à votre compte<\/h1>/);
  });

  it('takes Accept-Language without ui_locales, or when none of them is supported, and English without either', async () => {
    const arabic = await openLoginPage(browserSpeaking(ctx, 'ar-EG,ar;q=0.9,en;q=0.5'), authorizeUrl(clientId).url);
    assert.equal(htmlTag(arabic.html), '<html lang="ar" dir="rtl">');
    assert.match(arabic.html, /<h1 id="page-title">تسجيل الدخول<\/h1>/);

    const spanish = await openLoginPage(browserSpeaking(ctx, 'nl;q=1, es;q=0.4'), authorizeUrl(clientId, { ui_locales: 'nl ja' }).url);
    assert.equal(htmlTag(spanish.html), '<html lang="es" dir="ltr">');

    const english = await openLoginPage(browserSpeaking(ctx), authorizeUrl(clientId).url);
    assert.equal(htmlTag(english.html), '<html lang="en" dir="ltr">');
    assert.match(english.html, /<h1 id="page-title">Sign in<\/h1>/);
  });

  it('shows error and not-found pages in the browser’s language', async () => {
    const expired = await ctx.app.request(`${ISSUER}/interaction/${'x'.repeat(20)}`, { headers: { 'accept-language': 'de' } });
    assert.equal(expired.status, 404);
    const expiredHtml = await expired.text();
    assert.equal(htmlTag(expiredHtml), '<html lang="de" dir="ltr">');
    assert.match(expiredHtml, /<p role="alert">Diese Anmeldeseite ist abgelaufen/);

    const missing = await ctx.app.request(`${ISSUER}/account/nothing-here`, { headers: { 'accept-language': 'fr-CA' } });
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<h1 id="page-title">Page introuvable<\/h1>/);

    // Before the client is known the request's own ui_locales is read, from the query.
    const noClient = await ctx.app.request(`${ISSUER}/oauth/authorize?ui_locales=es&response_type=code`);
    assert.equal(noClient.status, 400);
    assert.match(await noClient.text(), /<p role="alert">La solicitud no tiene client_id\.<\/p>/);
  });

  it('keeps protocol errors in English for clients', async () => {
    const res = await ctx.app.request(`${ISSUER}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de' },
      body: 'grant_type=nope',
    });
    const body = (await res.json()) as { error_description: string };
    assert.match(body.error_description, /^[\x20-\x7E]+$/, body.error_description);
  });

  it('advertises the languages in discovery', async () => {
    const metadata = (await (await ctx.app.request(`${ISSUER}/.well-known/openid-configuration`)).json()) as { ui_locales_supported: string[] };
    assert.deepEqual(metadata.ui_locales_supported, ['en', 'de', 'fr', 'es', 'ar']);
  });

  it('shows each issuer’s own name in every language', async () => {
    await createIssuer(ctx.services, { id: 'beta', name: 'Beta Bank' });
    const beta = await scopeOf(ctx.services, 'beta');
    const { client } = await beta.repos.clients.create({
      name: 'Beta App',
      description: '',
      redirectUris: [TEST_REDIRECT_URI],
      postLogoutRedirectUris: [],
      grantTypes: ['authorization_code'],
      scopes: ['openid'],
      isPublic: false,
      firstParty: false,
    });
    const url = new URL(authorizeUrl(client.id, { scope: 'openid', ui_locales: 'ar' }).url);
    url.pathname = at('/beta/oauth/authorize');
    const step = await browserSpeaking(ctx).navigate(url.href, ISSUER);
    assert.ok(step.page);
    const page: Page = step.page;
    assert.equal(htmlTag(page.html), '<html lang="ar" dir="rtl">');
    assert.match(page.html, /<title>تسجيل الدخول · Beta Bank<\/title>/);
    assert.match(page.html, /<p class="brand">Beta Bank<\/p>/);
    assert.match(page.html, new RegExp(`<link rel="stylesheet" href="${atRe('/beta/assets/gatehouse.css')}"`));
    const defaultPage = await openLoginPage(browserSpeaking(ctx, 'ar'), authorizeUrl(clientId).url);
    assert.doesNotMatch(defaultPage.html, /Beta Bank/);
  });
});

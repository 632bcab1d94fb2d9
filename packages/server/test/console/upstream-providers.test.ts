import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openClientSecret } from '../../src/federation/providers.js';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER } from '../helpers/prefix.js';

const BASE = '/admin/sign-in-providers';

/** Every field of the provider form, as a browser posts it (unchecked boxes are absent). */
function form(fields: Record<string, string>): Record<string, string> {
  return {
    id: '',
    preset: '',
    kind: '',
    display_name: '',
    issuer_url: '',
    authorization_endpoint: '',
    token_endpoint: '',
    userinfo_endpoint: '',
    client_id: '',
    client_secret: '',
    scopes: '',
    claim_subject: '',
    claim_email: '',
    claim_email_verified: '',
    claim_name: '',
    claim_picture: '',
    enabled: '1',
    default_sign_in: 'off',
    ...fields,
  };
}

/** The form's fields as the page shows them for a provider that exists (what a browser would send back). */
function editForm(page: Page, change: Record<string, string | undefined>): Record<string, string> {
  const value = (name: string): string => {
    const m = new RegExp(`<input[^>]*id="${name}"[^>]*>`).exec(page.html)?.[0] ?? '';
    return /value="([^"]*)"/.exec(m)?.[1]?.replace(/&amp;/g, '&') ?? '';
  };
  const checked = (name: string): string | undefined => (new RegExp(`<input[^>]*id="${name}"[^>]*checked`).test(page.html) ? '1' : undefined);
  const selected = /<select id="default_sign_in"[\s\S]*?<option value="(\w+)" selected/.exec(page.html)?.[1] ?? 'off';
  const fields: Record<string, string | undefined> = {
    display_name: value('display_name'),
    issuer_url: value('issuer_url'),
    authorization_endpoint: value('authorization_endpoint'),
    token_endpoint: value('token_endpoint'),
    userinfo_endpoint: value('userinfo_endpoint'),
    client_id: value('client_id'),
    client_secret: '',
    scopes: value('scopes'),
    claim_subject: value('claim_subject'),
    claim_email: value('claim_email'),
    claim_email_verified: value('claim_email_verified'),
    claim_name: value('claim_name'),
    claim_picture: value('claim_picture'),
    enabled: checked('enabled'),
    trusted_for_linking: checked('trusted_for_linking'),
    trust_amr: checked('trust_amr'),
    default_sign_in: selected,
    ...change,
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('console: sign-in providers', () => {
  let ctx: TestContext;
  let admin: HttpBrowser;
  let viewer: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    ({ browser: admin } = await consoleSignIn(ctx, (await createOperator(ctx, 'admin')).email, { start: BASE }));
    ({ browser: viewer } = await consoleSignIn(ctx, (await createOperator(ctx, 'viewer')).email, { start: BASE }));
  });
  after(() => ctx.close());

  const open = (path: string, b: HttpBrowser = admin): Promise<Page> => consoleGet(b, path);

  it('is in the navigation, and adds a provider from a preset with a write-only client secret', async () => {
    const list = await open(BASE);
    assert.equal(list.status, 200);
    assert.match(list.html, /aria-current="page"[^>]*>Sign-in providers</);
    assert.match(list.html, /No providers yet/);
    const created = await consolePost(
      admin,
      list,
      BASE,
      form({ id: 'google', preset: 'google', client_id: '123.apps.googleusercontent.com', client_secret: 'GOCSPX-typed-once' }),
    );
    assert.equal(created.status, 200);
    assert.ok(created.url.endsWith(`${BASE}/google?notice=created`), created.url);
    assert.match(created.html, /\/signin\/google\/callback/, 'the redirect URI to register');
    assert.match(created.html, /https:\/\/accounts\.google\.com/, 'the preset filled in the issuer');
    const stored = await ctx.scope.repos.upstreamProviders.find('google');
    assert.ok(stored);
    assert.equal(await openClientSecret(ctx.scope, stored), 'GOCSPX-typed-once', 'stored (sealed) as typed');
    for (const page of [created, await open(BASE), await open(`${BASE}/google`), await open(`${BASE}/google`, viewer)]) {
      assert.ok(!page.html.includes('GOCSPX'), `never shown back (${page.url})`);
    }
    assert.match((await open(BASE)).html, /<code dir="ltr">google<\/code>[\s\S]*Asks the account’s password[\s\S]*Enabled/);
  });

  it('adds a plain OAuth 2.0 provider by hand; a refusal keeps what was typed, but never the secret', async () => {
    const refused = await consolePost(
      admin,
      await open(BASE),
      BASE,
      form({
        id: 'corp',
        kind: 'oauth2',
        display_name: 'Corp',
        authorization_endpoint: 'http://corp.example/authorize',
        token_endpoint: 'https://corp.example/token',
        userinfo_endpoint: 'https://corp.example/me',
        client_id: 'corp-client',
        client_secret: 'corp-secret-value',
        scopes: 'profile email',
        claim_subject: 'uid',
      }),
    );
    assert.equal(refused.status, 400);
    assert.match(refused.html, /role="alert"/);
    assert.match(refused.html, /href="#authorization_endpoint">Authorization endpoint<\/a>: <span lang="en">[^<]*https/);
    assert.match(refused.html, /aria-invalid="true"/);
    assert.match(refused.html, /value="corp-client"/, 'what was typed is kept');
    assert.match(refused.html, /value="uid"/);
    assert.ok(!refused.html.includes('corp-secret-value'), 'the secret is not put back in the page');
    assert.equal(await ctx.scope.repos.upstreamProviders.find('corp'), undefined);

    const created = await consolePost(
      admin,
      refused,
      BASE,
      form({
        id: 'corp',
        kind: 'oauth2',
        display_name: 'Corp',
        authorization_endpoint: 'https://corp.example/authorize',
        token_endpoint: 'https://corp.example/token',
        userinfo_endpoint: 'https://corp.example/me',
        client_id: 'corp-client',
        client_secret: 'corp-secret-value',
        scopes: 'profile email',
        claim_subject: 'uid',
        trusted_for_linking: '1',
      }),
    );
    assert.equal(created.status, 200);
    const stored = await ctx.scope.repos.upstreamProviders.find('corp');
    assert.equal(stored?.kind, 'oauth2');
    assert.equal(stored?.claimMapping.subject, 'uid');
    assert.deepEqual(stored?.scopes, ['profile', 'email']);
    assert.equal(stored?.trustedForLinking, true);
  });

  it('edits: disable, trusted for linking, trust amr, default sign-in; an empty secret keeps the stored one', async () => {
    const path = `${BASE}/google`;
    let page = await open(path);
    page = await consolePost(admin, page, path, editForm(page, { enabled: undefined, trusted_for_linking: '1', trust_amr: '1', default_sign_in: 'link' }));
    assert.equal(page.status, 200);
    assert.match(page.html, /Saved\./);
    let stored = await ctx.scope.repos.upstreamProviders.find('google');
    assert.deepEqual([stored?.enabled, stored?.trustedForLinking, stored?.trustAmr, stored?.defaultSignIn], [false, true, true, 'link']);
    assert.equal(stored && (await openClientSecret(ctx.scope, stored)), 'GOCSPX-typed-once', 'kept');

    page = await consolePost(
      admin,
      page,
      path,
      editForm(page, { enabled: '1', trust_amr: undefined, default_sign_in: 'off', client_secret: 'GOCSPX-rotated' }),
    );
    stored = await ctx.scope.repos.upstreamProviders.find('google');
    assert.deepEqual([stored?.enabled, stored?.trustedForLinking, stored?.trustAmr, stored?.defaultSignIn], [true, true, false, 'off']);
    assert.equal(stored && (await openClientSecret(ctx.scope, stored)), 'GOCSPX-rotated', 'replaced');
    assert.ok(!page.html.includes('GOCSPX'));

    const refused = await consolePost(admin, page, path, editForm(page, { scopes: 'email profile', client_secret: 'GOCSPX-not-saved' }));
    assert.equal(refused.status, 400);
    assert.match(refused.html, /openid scope/);
    assert.ok(!refused.html.includes('GOCSPX'));
    stored = await ctx.scope.repos.upstreamProviders.find('google');
    assert.equal(stored && (await openClientSecret(ctx.scope, stored)), 'GOCSPX-rotated', 'nothing saved from a refused form');
  });

  it('refuses forms without the CSRF token, and a viewer reads without forms and cannot write', async () => {
    const path = `${BASE}/corp`;
    const forged = await consolePost(admin, await open(path), `${path}/delete`, { confirm: '1', csrf: 'forged' });
    assert.equal(forged.status, 403);
    const forgedCreate = await consolePost(
      admin,
      await open(BASE),
      BASE,
      form({ id: 'x', preset: 'google', client_id: 'c', client_secret: 's', csrf: 'forged' }),
    );
    assert.equal(forgedCreate.status, 403);
    assert.equal(await ctx.scope.repos.upstreamProviders.find('x'), undefined);
    assert.ok(await ctx.scope.repos.upstreamProviders.find('corp'));

    const list = await open(BASE, viewer);
    assert.equal(list.status, 200);
    assert.match(list.html, /Corp/);
    assert.doesNotMatch(list.html, /<form[^>]*method="post"[^>]*sign-in-providers/);
    const detail = await open(path, viewer);
    assert.equal(detail.status, 200);
    assert.doesNotMatch(detail.html, /<form[^>]*method="post"[^>]*sign-in-providers/);
    assert.match(detail.html, /<dl class="facts">[\s\S]*corp-client/);
    // The viewer's own CSRF token, posted by hand: the Admin API refuses the write.
    const csrf = /name="csrf" value="([^"]+)"/.exec(detail.html)?.[1] ?? assert.fail('the sign-out form has a csrf field');
    for (const [action, fields] of [
      [`${path}/delete`, { confirm: '1' }],
      [path, editForm(await open(path), { enabled: undefined })],
      [BASE, form({ id: 'y', preset: 'google', client_id: 'c', client_secret: 's' })],
    ] as const) {
      const res = await viewer.request(`${ISSUER}${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, csrf }).toString(),
      });
      assert.equal(res.status, 403, action);
    }
    assert.equal((await ctx.scope.repos.upstreamProviders.find('corp'))?.enabled, true);
    assert.equal(await ctx.scope.repos.upstreamProviders.find('y'), undefined);
  });

  it('deletes only with the confirmation', async () => {
    const path = `${BASE}/corp`;
    const unconfirmed = await consolePost(admin, await open(path), `${path}/delete`, {});
    assert.equal(unconfirmed.status, 400);
    assert.match(unconfirmed.html, /Tick the box to confirm the deletion/);
    assert.ok(await ctx.scope.repos.upstreamProviders.find('corp'));
    const deleted = await consolePost(admin, await open(path), `${path}/delete`, { confirm: '1' });
    assert.equal(deleted.status, 200);
    assert.ok(deleted.url.endsWith(`${BASE}?notice=deleted`));
    assert.match(deleted.html, /Provider deleted/);
    assert.equal(await ctx.scope.repos.upstreamProviders.find('corp'), undefined);
    assert.equal((await open(path)).status, 404);
  });
});

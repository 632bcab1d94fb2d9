import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIssuer, updateIssuer } from '../../src/issuers/service.js';
import { SCOPE_TTL_SECONDS } from '../../src/issuers/scopes.js';
import { hashPassword } from '../../src/auth/password.js';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, TEST_PASSWORD, TEST_REDIRECT_URI as TEST_REDIRECT, basicAuth, createTestContext } from '../helpers/harness.js';
import { pkcePair } from '../helpers/pkce.js';
import { TEST_PREFIX, at, issuerAt } from '../helpers/prefix.js';

// The default issuer of the first contexts: at https://id.example.com, or under the test prefix.
const MAIN = issuerAt('https://id.example.com');

interface Metadata {
  issuer: string;
  token_endpoint: string;
}

async function discovery(ctx: TestContext, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Metadata }> {
  const res = await ctx.app.request(path, { headers });
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as Metadata) : ({} as Metadata) };
}

// Which issuer a request is for: a registered custom domain, else <GATEHOUSE_ISSUER>/<id>, else
// the default issuer; nothing else a client sends moves any URL Gatehouse builds.
describe('issuer resolution', () => {
  let ctx: TestContext;
  let trusting: TestContext;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_ISSUER: MAIN });
    trusting = await createTestContext({ GATEHOUSE_ISSUER: MAIN, GATEHOUSE_TRUST_PROXY: 'true' });
    for (const c of [ctx, trusting]) {
      await createIssuer(c.services, { id: 'acme', name: 'Acme', domains: ['login.acme.example'] });
      await createIssuer(c.services, { id: 'beta', name: 'Beta' });
    }
  });
  after(async () => {
    await ctx.close();
    await trusting.close();
  });

  it('serves the default issuer at GATEHOUSE_ISSUER, whatever Host says', async () => {
    for (const host of ['id.example.com', 'evil.example', 'localhost']) {
      const { body } = await discovery(ctx, at('/.well-known/openid-configuration'), { host });
      assert.equal(body.issuer, MAIN);
      assert.equal(body.token_endpoint, `${MAIN}/oauth/token`);
    }
  });

  it('serves an issuer at <GATEHOUSE_ISSUER>/<id>', async () => {
    const { body } = await discovery(ctx, at('/beta/.well-known/openid-configuration'));
    assert.equal(body.issuer, `${MAIN}/beta`);
    assert.equal(body.token_endpoint, `${MAIN}/beta/oauth/token`);
  });

  // A custom domain is the issuer's whole host: its routes are at the root there, prefix or not.
  it('serves an issuer at its registered domain, with its URL there', async () => {
    const { body } = await discovery(ctx, '/.well-known/openid-configuration', { host: 'login.acme.example' });
    assert.equal(body.issuer, 'https://login.acme.example');
    assert.equal(body.token_endpoint, 'https://login.acme.example/oauth/token');
    const withPort = await discovery(ctx, '/.well-known/openid-configuration', { host: 'LOGIN.acme.example:443' });
    assert.equal(withPort.body.issuer, 'https://login.acme.example');
  });

  it('believes X-Forwarded-Host only behind a trusted proxy, and only for a registered domain', async () => {
    const untrusted = await discovery(ctx, at('/.well-known/openid-configuration'), { 'x-forwarded-host': 'login.acme.example' });
    assert.equal(untrusted.body.issuer, MAIN);
    const trusted = await discovery(trusting, '/.well-known/openid-configuration', { 'x-forwarded-host': 'login.acme.example' });
    assert.equal(trusted.body.issuer, 'https://login.acme.example');
    const unregistered = await discovery(trusting, at('/.well-known/openid-configuration'), { 'x-forwarded-host': 'evil.example' });
    assert.equal(unregistered.body.issuer, MAIN);
  });

  it("serves another issuer's RFC 8414 metadata at the host's root, its path after the well-known suffix", async () => {
    const { status, body } = await discovery(ctx, `/.well-known/oauth-authorization-server${at('/beta')}`);
    assert.equal(status, 200);
    assert.equal(body.issuer, `${MAIN}/beta`);
    assert.equal((await discovery(ctx, `/.well-known/oauth-authorization-server${at('/nobody')}`)).status, 404);
  });

  it("answers an unknown issuer id as the default issuer's unknown path", async () => {
    const { status } = await discovery(ctx, at('/nobody/.well-known/openid-configuration'));
    assert.equal(status, 404);
    const reserved = await discovery(ctx, at('/default/.well-known/openid-configuration'));
    assert.equal(reserved.status, 404);
  });

  it("scopes session and interaction cookies to the issuer's path, under names of its own", () => {
    const main = ctx.scope.cookies;
    // __Host- only at the root of the host; under a path the cookie is Path-scoped and named for the issuer.
    assert.equal(main.sessionName, TEST_PREFIX === '' ? '__Host-gh_session' : '__Secure-gh_session_default');
    return ctx.services.scopes.byId('beta').then((beta) => {
      assert.ok(beta);
      assert.equal(beta.cookies.sessionName, '__Secure-gh_session_beta');
      assert.equal(beta.cookies.accountsName, '__Secure-gh_accounts_beta', "the account chooser's cookie is the issuer's own too");
      assert.equal(beta.path('/interaction/x'), at('/beta/interaction/x'));
    });
  });

  it('sees a change made elsewhere within the scope cache time', async () => {
    // Another process (the CLI) changes the name; this one reads it again after SCOPE_TTL_SECONDS.
    const before = await ctx.services.scopes.byId('beta');
    await ctx.services.scopes.issuers.update('beta', { name: 'Beta Renamed' });
    assert.equal((await ctx.services.scopes.byId('beta'))?.settings.brand.name, before?.settings.brand.name);
    ctx.clock.advance(SCOPE_TTL_SECONDS);
    const after = await ctx.services.scopes.byId('beta');
    assert.equal(after?.settings.brand.name, 'Beta Renamed');
    const page = await ctx.app.request(at('/beta/oauth/authorize'));
    assert.match(await page.text(), /Beta Renamed/);
  });

  it('stops serving a domain once it is removed', async () => {
    await updateIssuer(ctx.services, 'acme', { removeDomains: ['login.acme.example'] });
    const { status, body } = await discovery(ctx, '/.well-known/openid-configuration', { host: 'login.acme.example' });
    // The host's root is then the default issuer's when it is there, and nobody's when it is under a path.
    if (TEST_PREFIX === '') assert.equal(body.issuer, MAIN);
    else assert.equal(status, 404);
    assert.equal((await discovery(ctx, at('/.well-known/openid-configuration'), { host: 'login.acme.example' })).body.issuer, MAIN);
  });
});

describe('issuer scopes are a bounded cache', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('keeps at most its limit of scopes, whatever number of issuers is used', async () => {
    const { IssuerScopes } = await import('../../src/issuers/scopes.js');
    const small = new IssuerScopes(ctx.services, 'test-secret-test-secret-test-secret-0123456789', 4);
    for (let i = 0; i < 10; i++) await ctx.services.scopes.issuers.create({ id: `t${i}x`, name: `T${i}` });
    for (let i = 0; i < 10; i++) assert.equal((await small.byId(`t${i}x`))?.id, `t${i}x`);
    assert.equal(small.cachedCount, 4);
  });

  it('remembers an unknown id for the scope cache time: a path naming no issuer is not read again per request', async () => {
    const statusOf = async (): Promise<number> => (await ctx.app.request(at('/later1/.well-known/openid-configuration'))).status;
    assert.equal(await statusOf(), 404);
    const remembered = ctx.services.scopes.unknownCount;
    assert.ok(remembered >= 1);
    // Created elsewhere (another process: no invalidate here), it is seen once the time is up.
    await ctx.services.scopes.issuers.create({ id: 'later1', name: 'Later' });
    assert.equal(await statusOf(), 404, 'still remembered as unknown');
    ctx.clock.advance(SCOPE_TTL_SECONDS);
    assert.equal(await statusOf(), 200);
    // Created by this process, it is seen at once.
    assert.equal((await ctx.app.request(at('/later2/.well-known/openid-configuration'))).status, 404);
    await createIssuer(ctx.services, { id: 'later2', name: 'Later 2' });
    assert.equal((await ctx.app.request(at('/later2/.well-known/openid-configuration'))).status, 200);
  });
});

// GATEHOUSE_ISSUER with a path: the default issuer and every other one live under it, and every
// page, form, redirect and cookie says so.
describe('the default issuer mounted under a path', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_ISSUER: 'http://localhost:3000/auth' });
    await createIssuer(ctx.services, { id: 'acme', name: 'Acme' });
  });
  after(() => ctx.close());

  it('serves discovery under the path and nothing outside it', async () => {
    assert.equal((await discovery(ctx, '/auth/.well-known/openid-configuration')).body.token_endpoint, 'http://localhost:3000/auth/oauth/token');
    assert.equal((await discovery(ctx, '/auth/acme/.well-known/openid-configuration')).body.issuer, 'http://localhost:3000/auth/acme');
    assert.equal((await discovery(ctx, '/.well-known/openid-configuration')).status, 404);
    assert.equal((await ctx.app.request('/oauth/token', { method: 'POST' })).status, 404);
  });

  it("serves RFC 8414's metadata URL of each issuer, the one URL outside the path, naming the issuer exactly", async () => {
    // RFC 8414 §3.1: the well-known suffix goes between the host and the issuer's path.
    assert.equal((await discovery(ctx, '/.well-known/oauth-authorization-server/auth')).body.issuer, 'http://localhost:3000/auth');
    const acme = await discovery(ctx, '/.well-known/oauth-authorization-server/auth/acme');
    assert.equal(acme.body.issuer, 'http://localhost:3000/auth/acme');
    assert.equal(acme.body.token_endpoint, 'http://localhost:3000/auth/acme/oauth/token');
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-authorization-server/',
      '/.well-known/oauth-authorization-server/auth/',
      '/.well-known/oauth-authorization-server/auth/nobody',
      '/.well-known/oauth-authorization-server/other',
      '/.well-known/oauth-authorization-server/auth/oauth/token',
      '/.well-known/openid-configuration/auth',
    ]) {
      assert.equal((await discovery(ctx, path)).status, 404, path);
    }
  });

  for (const [name, base] of [
    ['the default issuer', '/auth'],
    ['another issuer', '/auth/acme'],
  ] as const) {
    it(`signs in through ${name}'s pages, every URL under ${base}`, async () => {
      const scope =
        base === '/auth'
          ? ctx.scope
          : await (async () => {
              const found = await ctx.services.scopes.byId('acme');
              assert.ok(found);
              return found;
            })();
      const { client, secret } = await scope.repos.clients.create({
        name: 'Prefixed',
        redirectUris: [TEST_REDIRECT],
        grantTypes: ['authorization_code'],
        scopes: ['openid'],
        isPublic: false,
        firstParty: true,
      });
      await scope.repos.users.create({ email: 'ada@example.com', passwordHash: await hashPassword(TEST_PASSWORD) });
      const browser = inProcessBrowser(ctx);
      const { verifier, challenge } = pkcePair();
      const url = `http://localhost:3000${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: TEST_REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })}`;
      const login = await browser.navigate(url, 'http://localhost:3000');
      assert.ok(login.page);
      assert.match(login.page.html, new RegExp(`action="${base}/interaction/[^"]+/login"`));
      assert.match(login.page.html, new RegExp(`href="${base}/assets/gatehouse.css"`));
      const done = await browser.submit(login.page, '/login', { email: 'ada@example.com', password: TEST_PASSWORD }, 'http://localhost:3000');
      assert.ok(done.leftTo, done.page?.html.slice(0, 300));
      const callback = new URL(done.leftTo);
      assert.equal(callback.searchParams.get('iss'), `http://localhost:3000${base}`);
      const token = await ctx.app.request(`${base}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basicAuth(client.id, secret as string), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code') as string,
          redirect_uri: TEST_REDIRECT,
          code_verifier: verifier,
        }),
      });
      assert.equal(token.status, 200);
    });
  }
});

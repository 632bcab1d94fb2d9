import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext, createTestUser, TEST_PASSWORD } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER, at } from '../helpers/prefix.js';

const TRY_URI = `${ISSUER}/admin/try/callback`;

describe('console: try sign-in with an app’s own settings', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'admin');
    ({ browser } = await consoleSignIn(ctx, operator.email));
  });
  after(() => ctx.close());

  const open = (path: string): Promise<Page> => consoleGet(browser, path);

  /** From the app's page, through the hosted sign-in (prompt=login) and consent, to the result. */
  async function tryWith(appId: string, fields: Record<string, string>, email: string): Promise<Page> {
    const detail = await open(`/admin/applications/${appId}`);
    const login = await consolePost(browser, detail, `/admin/applications/${appId}/try`, fields);
    assert.match(login.html, /interaction\/[^"]+\/login/, 'prompt=login asks who to try with');
    const consent = await consolePost(browser, login, '/login', { email, password: TEST_PASSWORD });
    return consolePost(browser, consent, '/consent', { decision: 'approve', scope: ['openid', 'profile', 'email', 'offline_access'] });
  }

  it('adds the try address to a public app only when asked, then runs the code flow and shows its tokens', async () => {
    const { client } = await ctx.scope.repos.clients.create({
      appType: 'spa',
      name: 'Dashboard',
      redirectUris: ['https://dash.example.com/callback'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      isPublic: true,
      firstParty: false,
    });
    const detail = await open(`/admin/applications/${client.id}`);
    assert.ok(detail.html.includes(TRY_URI), 'the page names the address to add');
    const enabled = await consolePost(browser, detail, `/admin/applications/${client.id}/try`, { enable: '1' });
    assert.match(enabled.html, /try address was added/);
    assert.deepEqual((await ctx.scope.repos.clients.find(client.id))?.redirectUris, ['https://dash.example.com/callback', TRY_URI]);

    const user = await createTestUser(ctx, 'try-spa@example.com');
    const result = await tryWith(client.id, {}, user.email);
    assert.equal(result.status, 200, result.html.slice(0, 300));
    assert.equal(new URL(result.url).pathname, at('/admin/try/callback'));
    assert.ok(result.html.includes(`id="try-subject">${user.id}<`), 'signed in as the user tried with');
    assert.match(result.html, /id="id-token-claims"/);
    assert.match(result.html, /offline_access/, 'the scopes granted');
    assert.match(result.html, /they have been revoked since/);
    const accessClaims = result.html.slice(result.html.indexOf('id="access-token-claims"'));
    const jti = /&quot;jti&quot;: &quot;([^&]+)&quot;/.exec(accessClaims)?.[1];
    assert.ok(jti && (await ctx.scope.repos.accessTokenRevocations.isRevoked(jti)), 'the access token is revoked');
    assert.deepEqual(await ctx.scope.repos.grants.listForUser(user.id), [], 'revoking the refresh token ended the grant');
  });

  it('a confidential app needs its secret: none sends back, a wrong one fails at the token endpoint, the right one works', async () => {
    const { client, secret } = await ctx.scope.repos.clients.create({
      appType: 'web',
      name: 'Portal',
      redirectUris: ['https://portal.example.com/callback', TRY_URI],
      grantTypes: ['authorization_code'],
      scopes: ['openid', 'email'],
      isPublic: false,
      firstParty: true,
    });
    const detail = await open(`/admin/applications/${client.id}`);
    assert.match(detail.html, /name="client_secret"/);
    const missing = await consolePost(browser, detail, `/admin/applications/${client.id}/try`, { client_secret: ' ' });
    assert.match(missing.html, /Enter the client secret/);

    const user = await createTestUser(ctx, 'try-web@example.com');
    // First-party: no consent page; the sign-in lands on the result at once.
    const login = await consolePost(browser, detail, `/admin/applications/${client.id}/try`, { client_secret: 'ghs_wrong' });
    const wrong = await consolePost(browser, login, '/login', { email: user.email, password: TEST_PASSWORD });
    assert.equal(wrong.status, 400);
    assert.match(wrong.html, /did not give tokens: invalid_client/);

    const again = await consolePost(browser, detail, `/admin/applications/${client.id}/try`, { client_secret: secret ?? '' });
    const right = await consolePost(browser, again, '/login', { email: user.email, password: TEST_PASSWORD });
    assert.equal(right.status, 200);
    assert.ok(right.html.includes(`id="try-subject">${user.id}<`));
    assert.doesNotMatch(right.html, new RegExp(secret ?? 'x'), 'the secret is never shown');
  });

  it('a callback this browser did not start is refused with a readable page', async () => {
    const res = await open(`/admin/try/callback?code=x&state=y&iss=${encodeURIComponent(ISSUER)}`);
    assert.equal(res.status, 400);
    assert.match(res.html, /could not be completed/);
  });
});

// The SDK's scope and claim checks against a real, in-process Gatehouse: typed custom claims on
// agent.profile, verify() with scopes and claims, hasAccessIn without the organizations scope,
// and an agent whose scope was removed on the account page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../../server/test/helpers/harness.js';
import { inProcessBrowser, runFlow } from '../../server/test/helpers/flow.js';
import { listedApps, openAccountPage, postRemoveScope } from '../../server/test/helpers/account-pages.js';
import { testAccount } from '../../server/test/wallets/helpers.js';
import type { HttpBrowser } from '../../server/test/helpers/http-browser.js';
import { type Agent, BearerTokenError, IdpClient, MissingScopeError, createResourceServer } from '../src/index.js';

let ctx: TestContext;
const REDIRECT_URI = 'https://example-business.com/api/auth/callback/gatehouse';
const API = 'https://api.example-business.com';
// Each user links a wallet of their own: an address is linked to one account at a time.
let wallets = 40;

/** The custom claims this app reads: the `wallets` scope's claim. */
interface AppClaims {
  wallets?: string[];
}

async function gatehouse(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return ctx.app.fetch(new Request(input, init));
}

before(async () => {
  ctx = await createTestContext();
});
after(async () => {
  await ctx.close();
});

/** A registered app, a user with a linked wallet, signed in with `scopes` in `browser`. */
async function signIn(
  scopes: string[],
  options: { resource?: string; browser?: HttpBrowser } = {},
): Promise<{ agent: Agent<AppClaims>; idp: IdpClient<AppClaims>; browser: HttpBrowser; wallet: string }> {
  const { client, secret } = await createTestClient(ctx, {
    name: 'SDK App',
    redirectUris: [REDIRECT_URI],
    resources: [API],
    scopes: ['openid', 'profile', 'email', 'payments', 'wallets', 'organizations'],
  });
  const user = await createTestUser(ctx);
  const wallet = testAccount(wallets++);
  // A linked wallet is a second factor, which the account pages would ask for: linked only when read.
  if (scopes.includes('wallets')) await ctx.scope.repos.wallets.link({ userId: user.id, address: wallet.address, chainId: 1, label: null });
  const idp = new IdpClient<AppClaims>({
    issuerUrl: ctx.config.issuer,
    clientId: client.id,
    clientSecret: secret as string,
    redirectUri: REDIRECT_URI,
    fetch: gatehouse,
    clock: ctx.clock,
  });
  const request = await idp.createAuthorizationUrl({ scopes, ...(options.resource ? { resource: options.resource } : {}) });
  const browser = options.browser ?? inProcessBrowser(ctx);
  const result = await runFlow(browser, request.url, { email: user.email, approve: scopes });
  assert.ok(result.callback, 'redirected back with a code');
  return { agent: await idp.exchangeCode(result.callback, request), idp, browser, wallet: wallet.address };
}

test('agent.profile carries the custom claims, typed by the app', async () => {
  const { agent, wallet } = await signIn(['openid', 'wallets']);
  const linked: string[] | undefined = agent.profile.wallets;
  assert.deepEqual(linked, [wallet]);
});

test('verify() checks the scopes and claims of a real access token: 403 insufficient_scope per RFC 6750 §3.1', async () => {
  const { agent } = await signIn(['openid', 'payments'], { resource: API });
  const rs = createResourceServer({ issuerUrl: ctx.config.issuer, audience: API, fetch: gatehouse, clock: ctx.clock, realm: 'payments' });
  const token = await agent.accessToken();
  const claims = await rs.verify<{ client_id: string }>(token, { scopes: ['payments'], claims: { sub: agent.profile.sub } });
  assert.equal(claims.sub, agent.profile.sub);

  const missing = await rs.verify(token, { scopes: ['payments', 'payments:refund'] }).catch((e: unknown) => e);
  assert.ok(missing instanceof BearerTokenError);
  assert.equal(missing.status, 403);
  assert.equal(missing.error, 'insufficient_scope');
  assert.equal(
    missing.wwwAuthenticate,
    'Bearer realm="payments", error="insufficient_scope", error_description="The access token lacks a required scope", scope="payments payments:refund"',
  );
  const response = missing.toResponse();
  assert.equal(response.status, 403);
  assert.deepEqual(await response.json(), { error: 'insufficient_scope', error_description: 'The access token lacks a required scope' });

  const wrong = await rs.verify(token, { claims: { client_id: 'another-app' } }).catch((e: unknown) => e);
  assert.ok(wrong instanceof BearerTokenError);
  assert.equal(wrong.status, 403);
  assert.equal(wrong.claim, 'client_id');
  assert.doesNotMatch(wrong.wwwAuthenticate, /scope=/, 'no scope to ask for: it is a claim that does not match');
});

test('hasAccessIn throws MissingScopeError when the tokens were issued without organizations', async () => {
  const { agent } = await signIn(['openid', 'email']);
  assert.throws(() => agent.hasAccessIn('acme', 'write', 'projects'), MissingScopeError);
  const { agent: withScope } = await signIn(['openid', 'organizations']);
  assert.equal(withScope.hasAccessIn('acme', 'write', 'projects'), false, 'with the scope, a plain no');
});

test('a scope removed on the account page: the API call gets 401, the agent refreshes, the new token lacks it', async () => {
  const { agent, browser } = await signIn(['openid', 'profile', 'email']);
  const userinfo = `${ctx.config.issuer}/oauth/userinfo`;
  const before = (await (await agent.fetch(userinfo)).json()) as Record<string, unknown>;
  assert.equal(typeof before.email, 'string');
  const held = agent.tokens.accessToken;

  const [app] = listedApps((await openAccountPage(browser)).html);
  assert.ok(app);
  assert.equal((await postRemoveScope(browser, app, 'email')).status, 303);

  // The token in hand is refused at once (401 invalid_token); agent.fetch refreshes and retries.
  const direct = await gatehouse(userinfo, { headers: { authorization: `Bearer ${held}` } });
  assert.equal(direct.status, 401);
  assert.match(direct.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  const after = await agent.fetch(userinfo);
  assert.equal(after.status, 200);
  assert.notEqual(agent.tokens.accessToken, held, 'refreshed');
  assert.equal(agent.tokens.scope, 'openid profile');
  assert.equal(((await after.json()) as Record<string, unknown>).email, undefined);
});

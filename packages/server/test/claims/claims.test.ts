import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { ClaimsService } from '../../src/claims/service.js';
import { ServiceError } from '../../src/services/errors.js';
import type { User } from '../../src/store/repos/users.js';
import { ISSUER, authorizeUrl, inProcessBrowser, runFlow, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, assertOAuthError, basic, confidentialClient, json, postForm, refresh, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';
import { testAccount } from '../wallets/helpers.js';
import { LEDGER_API, PAYMENTS_API, SEED_SCOPES, configureSeed } from './helpers.js';

const WALLET = testAccount(41);
const VERIFIED = { status: 'verified', level: 2, verified_at: '2026-11-02T10:00:00Z' };

describe('claims: custom scopes, attributes and APIs end to end', () => {
  let ctx: TestContext;
  let claims: ClaimsService;
  let client: Confidential;
  let user: User;

  before(async () => {
    ctx = await createTestContext();
    claims = await configureSeed(ctx);
    client = await confidentialClient(ctx, { scopes: SEED_SCOPES, resources: [PAYMENTS_API, LEDGER_API] });
    user = await createTestUser(ctx);
    await claims.setAttribute('user', user.id, 'kyc', VERIFIED);
    await ctx.scope.repos.wallets.link({ userId: user.id, address: WALLET.address, chainId: 1, label: null });
    const org = await ctx.scope.repos.organizations.create({ name: 'Acme' });
    await ctx.scope.repos.memberships.add(org.id, user.id, []);
    await claims.setAttribute('organization', org.id, 'tier', 'pro');
  });
  after(() => ctx.close());

  it('refuses a value against the schema, reserved and built-in names, and unknown claims', async () => {
    await assert.rejects(claims.setAttribute('user', user.id, 'kyc', { status: 'approved', level: 5 }), (e: unknown) => {
      assert.ok(e instanceof ServiceError && e.code === 'invalid');
      assert.match(e.message, /\$\.status: must be one of/);
      assert.match(e.message, /\$\.level: must be at most 3/);
      return true;
    });
    for (const name of ['sub', 'acr', 'cnf', 'scope', 'gid']) {
      await assert.rejects(claims.putAttribute({ name, schema: { type: 'string' } }), /reserved/);
    }
    await assert.rejects(claims.putAttribute({ name: 'email', schema: { type: 'string' } }), /built-in claim/);
    await assert.rejects(claims.putAttribute({ name: 'x', schema: { type: 'string', $ref: '#/a' } }), /keyword "\$ref" is not supported/);
    await assert.rejects(claims.putScope({ name: 'profile', descriptions: { en: 'x' } }), /built in/);
    await assert.rejects(claims.putScope({ name: 'payments', descriptions: { en: 'x' } }), /already defined by the API/);
    await assert.rejects(claims.putScope({ name: 'leak', descriptions: { en: 'x' }, claims: ['iss'] }), /reserved/);
    await assert.rejects(claims.putScope({ name: 'leak', descriptions: { en: 'x' }, claims: ['nothing_here'] }), /no attribute or built-in claim/);
    await assert.rejects(claims.putApi({ identifier: 'not a uri', name: 'x' }), /absolute URI/);
    await assert.rejects(claims.deleteAttribute('kyc'), /released by the scope kyc, the API/);
  });

  it('discovery lists the custom scopes, the API scopes and their claims', async () => {
    const doc = await json(await ctx.app.request(at('/.well-known/openid-configuration')));
    for (const s of ['wallets', 'kyc', 'membership', 'payments', 'payments:refund']) assert.ok((doc.scopes_supported as string[]).includes(s), s);
    for (const c of ['kyc', 'tier', 'wallets']) assert.ok((doc.claims_supported as string[]).includes(c), c);
  });

  it('kyc and wallets: in userinfo and the ID token; the organization attribute in userinfo only (not configured for the ID token)', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid kyc wallets membership' });
    const id = decodeJwt(tokens.id_token as string);
    assert.deepEqual(id.kyc, VERIFIED);
    assert.deepEqual(id.wallets, [WALLET.address]);
    assert.equal(id.tier, undefined, 'membership is not released into the ID token with an access token for userinfo');
    const access = decodeJwt(tokens.access_token as string);
    assert.equal(access.aud, ISSUER);
    assert.equal(access.kyc, undefined, 'a userinfo token carries no claims');
    const info = await json(await userinfo(ctx, tokens.access_token as string));
    assert.deepEqual(info.kyc, VERIFIED);
    assert.deepEqual(info.wallets, [WALLET.address]);
    assert.deepEqual(Object.values(info.tier as object), ['pro']);

    // Recomputed at every refresh, as the organizations claim is.
    const pending = { status: 'pending', level: 1 };
    await claims.setAttribute('user', user.id, 'kyc', pending);
    const next = await json(await refresh(ctx, basic(client), tokens.refresh_token as string));
    assert.deepEqual(decodeJwt(next.id_token as string).kyc, pending);
    assert.deepEqual((await json(await userinfo(ctx, next.access_token as string))).kyc, pending);
    await claims.setAttribute('user', user.id, 'kyc', VERIFIED);
  });

  it('without the scope the attribute is nowhere', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email' });
    assert.equal(decodeJwt(tokens.id_token as string).kyc, undefined);
    assert.equal((await json(await userinfo(ctx, tokens.access_token as string))).kyc, undefined);
  });

  it('payments: an access token for the API alone, with its scopes, lifetime and claims; refused at userinfo', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email payments ledger:read', resource: PAYMENTS_API });
    const access = decodeJwt(tokens.access_token as string);
    assert.equal(access.aud, PAYMENTS_API);
    assert.equal(access.scope, 'payments', 'only the API’s own scopes');
    assert.equal(tokens.scope, 'payments');
    assert.equal((access.exp as number) - (access.iat as number), 300);
    assert.equal(tokens.expires_in, 300);
    assert.deepEqual(access.kyc, VERIFIED);
    assert.deepEqual(access.wallets, [WALLET.address]);
    assert.equal(access.email, user.email);
    assert.equal(access.sub, user.id);
    assert.equal(access.iss, ISSUER);
    assert.equal((await userinfo(ctx, tokens.access_token as string)).status, 401);
    // The ID token has the email claim: the access token cannot be taken to userinfo.
    assert.equal(decodeJwt(tokens.id_token as string).email, user.email);

    // A refresh for the issuer: a userinfo token without the API's scopes.
    const forUserinfo = await json(await refresh(ctx, basic(client), tokens.refresh_token as string, { resource: ISSUER }));
    const narrowed = decodeJwt(forUserinfo.access_token as string);
    assert.equal(narrowed.aud, ISSUER);
    assert.equal(narrowed.scope, 'openid email');
    assert.equal(narrowed.kyc, undefined);
    // A refresh for the other API the grant covers (ledger:read was granted).
    const forLedger = await json(await refresh(ctx, basic(client), forUserinfo.refresh_token as string, { resource: LEDGER_API }));
    const ledger = decodeJwt(forLedger.access_token as string);
    assert.equal(ledger.aud, LEDGER_API);
    assert.equal(ledger.scope, 'ledger:read');
    // And back to payments, with the attribute of this moment.
    await claims.setAttribute('user', user.id, 'kyc', { status: 'rejected', level: 0 });
    const again = await json(await refresh(ctx, basic(client), forLedger.refresh_token as string, { resource: PAYMENTS_API }));
    assert.deepEqual(decodeJwt(again.access_token as string).kyc, { status: 'rejected', level: 0 });
    await claims.setAttribute('user', user.id, 'kyc', VERIFIED);
  });

  it('the API is inferred when the granted scopes name exactly one API', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid payments payments:refund' });
    const access = decodeJwt(tokens.access_token as string);
    assert.equal(access.aud, PAYMENTS_API);
    assert.equal(access.scope, 'payments payments:refund');
  });

  it('invalid_target: an API the grant does not cover, or one the client is not registered for; nothing is spent', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid payments offline_access' });
    await assertOAuthError(await refresh(ctx, basic(client), tokens.refresh_token as string, { resource: LEDGER_API }), 400, 'invalid_target');
    await assertOAuthError(await refresh(ctx, basic(client), tokens.refresh_token as string, { resource: 'https://elsewhere.example' }), 400, 'invalid_target');
    const still = await refresh(ctx, basic(client), tokens.refresh_token as string);
    assert.equal(still.status, 200, 'the refresh token was not spent by the refused requests');
  });

  it('invalid_target at the code exchange keeps the code', async () => {
    const browser = inProcessBrowser(ctx);
    const request = authorizeUrl(client.id, { scope: 'openid payments' });
    const flow = await runFlow(browser, request.url, { email: user.email, approve: ['openid', 'payments'] });
    const code = flow.callback?.searchParams.get('code') as string;
    const params = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://example-business.com/api/auth/callback/gatehouse',
      code_verifier: request.verifier,
    };
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), { ...params, resource: LEDGER_API }, basic(client)), 400, 'invalid_target');
    const ok = await postForm(ctx, at('/oauth/token'), params, basic(client));
    assert.equal(ok.status, 200);
  });

  it('an API scope for an API the client may not call is invalid_scope', async () => {
    const other = await confidentialClient(ctx, { scopes: SEED_SCOPES, resources: [PAYMENTS_API] });
    const res = await ctx.app.request(authorizeUrl(other.id, { scope: 'openid ledger:read' }).url);
    const location = new URL(res.headers.get('location') ?? '', ISSUER);
    assert.equal(location.searchParams.get('error'), 'invalid_scope');
  });

  it('client_credentials for the API: its scopes and lifetime', async () => {
    const machine = await confidentialClient(ctx, {
      scopes: ['payments', 'ledger:read'],
      resources: [PAYMENTS_API, LEDGER_API],
      grantTypes: ['client_credentials'],
    });
    const body = await json(await postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials', resource: PAYMENTS_API }, basic(machine)));
    const access = decodeJwt(body.access_token as string);
    assert.equal(access.aud, PAYMENTS_API);
    assert.equal(access.scope, 'payments');
    assert.equal(body.expires_in, 300);
  });

  it('the consent page describes custom and API scopes in the page’s language, marks the required one and names the API', async () => {
    const fresh = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const request = authorizeUrl(client.id, { scope: 'openid kyc membership payments', ui_locales: 'de' });
    let step = await browser.navigate(request.url, ISSUER);
    assert.ok(step.page);
    step = await browser.submit(step.page, '/login', { email: fresh.email, password: 'correct horse battery staple' }, ISSUER);
    const html = step.page?.html ?? '';
    assert.match(html, /Ihren KYC-Status und Ihre Verifizierungsstufe sehen/);
    assert.match(html, /See the plan of your organizations/, 'English stands in where no translation is given');
    assert.match(html, /Make payments on your behalf/);
    assert.match(html, /Für CoinPay API/);
    assert.match(html, /id="scope-membership"[^>]*disabled/, 'membership is not optional');
    assert.doesNotMatch(html, /id="scope-kyc"[^>]*disabled/);
    // Unticking membership does not drop it; unticking kyc does.
    assert.ok(step.page);
    const done = await browser.submit(step.page, '/consent', { decision: 'approve', scope: ['openid', 'payments'] }, ISSUER);
    assert.ok(done.leftTo);
    const code = new URL(done.leftTo).searchParams.get('code') as string;
    const exchanged = await json(
      await postForm(
        ctx,
        at('/oauth/token'),
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'https://example-business.com/api/auth/callback/gatehouse',
          code_verifier: request.verifier,
          resource: ISSUER,
        },
        basic(client),
      ),
    );
    assert.equal(exchanged.scope, 'openid membership');
  });
});

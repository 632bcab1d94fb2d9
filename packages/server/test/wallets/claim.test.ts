import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { ISSUER, authorizeUrl, inProcessBrowser, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, basic, json, refresh, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';
import type { User } from '../../src/store/repos/users.js';
import { testAccount } from './helpers.js';

const FIRST = testAccount(21);
const SECOND = testAccount(22);

// The `wallets` claim: the linked addresses, in userinfo and the ID token, only with the scope.
describe('wallets: the wallets scope and claim', () => {
  let ctx: TestContext;
  let client: Confidential;
  let user: User;

  before(async () => {
    ctx = await createTestContext();
    const made = await createTestClient(ctx, { scopes: ['openid', 'profile', 'email', 'wallets'] });
    client = { id: made.client.id, secret: made.secret as string };
    user = await createTestUser(ctx);
    await ctx.scope.repos.wallets.link({ userId: user.id, address: FIRST.address, chainId: 1, label: 'first' });
    ctx.clock.advance(1);
    await ctx.scope.repos.wallets.link({ userId: user.id, address: SECOND.address, chainId: 10, label: null });
  });
  after(() => ctx.close());

  it('is advertised in discovery and described on the consent page', async () => {
    const doc = await json(await ctx.app.request(at('/.well-known/openid-configuration')));
    assert.ok((doc.scopes_supported as string[]).includes('wallets'));
    assert.ok((doc.claims_supported as string[]).includes('wallets'));
    const browser = inProcessBrowser(ctx);
    let step = await browser.navigate(authorizeUrl(client.id, { scope: 'openid wallets' }).url, ISSUER);
    assert.ok(step.page);
    step = await browser.submit(step.page, '/login', { email: user.email, password: 'correct horse battery staple' }, ISSUER);
    assert.match(step.page?.html ?? '', /See the Ethereum wallet addresses linked to your account/);
  });

  it('with the scope: every linked address, checksummed, in the ID token and userinfo; an unlink shows at the next refresh', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid wallets' });
    assert.deepEqual(decodeJwt(tokens.id_token as string).wallets, [FIRST.address, SECOND.address]);
    assert.equal(decodeJwt(tokens.access_token as string).wallets, undefined, 'not in the access token');
    const info = await json(await userinfo(ctx, tokens.access_token as string));
    assert.deepEqual(info.wallets, [FIRST.address, SECOND.address]);

    const [first] = await ctx.scope.repos.wallets.listForUser(user.id);
    assert.ok(first);
    await ctx.scope.repos.wallets.unlink(user.id, first.id);
    const next = await json(await refresh(ctx, basic(client), tokens.refresh_token as string));
    assert.deepEqual(decodeJwt(next.id_token as string).wallets, [SECOND.address]);
    assert.deepEqual((await json(await userinfo(ctx, next.access_token as string))).wallets, [SECOND.address]);
  });

  it('without the scope: no wallets claim anywhere', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email' });
    assert.equal(decodeJwt(tokens.id_token as string).wallets, undefined);
    const info = await json(await userinfo(ctx, tokens.access_token as string));
    assert.equal(info.wallets, undefined);
    assert.equal(info.email, user.email);
  });

  it('with the scope and no wallet: an empty list', async () => {
    const other = await createTestUser(ctx);
    const { tokens } = await signInForTokens(ctx, client, other.email, { scope: 'openid wallets' });
    assert.deepEqual(decodeJwt(tokens.id_token as string).wallets, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { User } from '../../src/store/repos/users.js';
import { ACR_ONE_FACTOR, ACR_TWO_FACTORS } from '../../src/signin/assurance.js';
import { assertErrorRedirect } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, confidentialClient, json, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';
import { enrolTotp, idTokenClaims, isMfaPage, passwordStep, totpCode } from '../factors/helpers.js';
import { SEED_SCOPES, configureSeed } from './helpers.js';

const claims = (body: unknown): string => JSON.stringify(body);

// OIDC Core §5.5: the `claims` parameter asks for claims by name; Gatehouse releases one only
// under a granted scope that releases it, and steps up when `acr` names its two-factor level.
describe('claims request parameter (OIDC Core §5.5)', () => {
  let ctx: TestContext;
  let client: Confidential;
  let user: User;

  before(async () => {
    ctx = await createTestContext();
    const seed = await configureSeed(ctx);
    client = await confidentialClient(ctx, { scopes: SEED_SCOPES });
    user = await createTestUser(ctx);
    const org = await ctx.scope.repos.organizations.create({ name: 'Acme' });
    await ctx.scope.repos.memberships.add(org.id, user.id, []);
    await seed.setAttribute('organization', org.id, 'tier', 'pro');
  });
  after(() => ctx.close());

  it('discovery says the parameter is supported', async () => {
    const doc = await json(await ctx.app.request(at('/.well-known/openid-configuration')));
    assert.equal(doc.claims_parameter_supported, true);
  });

  it('refuses malformed JSON and wrong shapes with invalid_request by redirect', async () => {
    const bad = [
      'not json',
      '[]',
      '"id_token"',
      'null',
      claims({ id_token: [] }),
      claims({ id_token: 'email' }),
      claims({ userinfo: { email: true } }),
      claims({ id_token: { email: { essential: 'yes' } } }),
      claims({ id_token: { acr: { values: 'urn:gatehouse:acr:2fa' } } }),
      claims({ id_token: { '': null } }),
    ];
    for (const value of bad) {
      const req = authorizeUrl(client.id, { claims: value });
      const params = assertErrorRedirect(await ctx.app.request(req.url), 'invalid_request', { state: req.state });
      assert.match(params.get('error_description') ?? '', /claims/, value);
    }
    // Members not understood are ignored (§5.5): the request goes on to sign-in.
    const fine = authorizeUrl(client.id, { claims: claims({ id_token: { email: null }, other: 1 }) });
    const res = await ctx.app.request(fine.url);
    assert.equal(new URL(res.headers.get('location') ?? '', ISSUER).searchParams.get('error'), null);
  });

  it('puts email asked for in the ID token there with the email scope alone', async () => {
    const plain = await signInForTokens(ctx, client, user.email, { scope: 'openid email' });
    assert.equal(decodeJwt(plain.tokens.id_token as string).email, undefined, 'not asked, not configured: userinfo only');
    const asked = await signInForTokens(ctx, client, user.email, {
      scope: 'openid email',
      claims: claims({ id_token: { email: { essential: true }, email_verified: null } }),
    });
    const id = decodeJwt(asked.tokens.id_token as string);
    assert.equal(id.email, user.email);
    assert.equal(id.email_verified, user.emailVerified);
    // Only what was asked for: the scope's other claims stay out.
    assert.equal(id.name, undefined);
  });

  it('never releases a claim whose scope was not granted', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, {
      scope: 'openid email',
      claims: claims({ id_token: { name: null, preferred_username: { essential: true }, tier: null }, userinfo: { given_name: null } }),
    });
    const id = decodeJwt(tokens.id_token as string);
    for (const name of ['name', 'preferred_username', 'tier', 'email']) assert.equal(id[name], undefined, name);
    const info = await json(await userinfo(ctx, tokens.access_token as string));
    assert.equal(info.given_name, undefined, 'profile was not granted');
    assert.equal(info.email, user.email, 'userinfo releases the granted scopes as before');
  });

  it('puts a custom scope’s claim asked for into the ID token though the scope is userinfo only', async () => {
    const plain = await signInForTokens(ctx, client, user.email, { scope: 'openid membership' });
    assert.equal(decodeJwt(plain.tokens.id_token as string).tier, undefined);
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid membership', claims: claims({ id_token: { tier: null } }) });
    assert.deepEqual(Object.values(decodeJwt(tokens.id_token as string).tier as object), ['pro']);
  });

  it('an essential acr naming the two-factor level asks the second factor, and the ID token says so', async () => {
    const firstParty = await createTestClient(ctx, { firstParty: true });
    const app = { id: firstParty.client.id, secret: firstParty.secret };
    const person = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, person.id);
    // Without a step-up the issuer's policy (off) asks the password only.
    const plain = await passwordStep(inProcessBrowser(ctx), app.id, person.email);
    assert.equal(isMfaPage(plain.page), false);
    assert.equal((await idTokenClaims(ctx, app, plain.leftTo, plain.request.verifier)).acr, ACR_ONE_FACTOR);
    // A voluntary acr naming one factor steps nothing up.
    const one = await passwordStep(inProcessBrowser(ctx), app.id, person.email, { claims: claims({ id_token: { acr: { values: [ACR_ONE_FACTOR] } } }) });
    assert.equal(isMfaPage(one.page), false);
    // essential acr with the two-factor level: as acr_values=urn:gatehouse:acr:2fa.
    const browser = inProcessBrowser(ctx);
    const stepUp = await passwordStep(browser, app.id, person.email, {
      claims: claims({ id_token: { acr: { essential: true, values: [ACR_TWO_FACTORS, ACR_ONE_FACTOR] } } }),
    });
    assert.ok(isMfaPage(stepUp.page), 'the second factor is asked');
    const done = await browser.submit(stepUp.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
    assert.equal((await idTokenClaims(ctx, app, done.leftTo, stepUp.request.verifier)).acr, ACR_TWO_FACTORS);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { runMaintenance } from '../../src/maintenance.js';
import { type TestContext, TEST_SECRET, createTestContext } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

async function jwksKids(ctx: TestContext): Promise<string[]> {
  ctx.scope.keys.invalidate();
  const res = await ctx.app.request(at('/.well-known/jwks.json'));
  const { keys } = (await res.json()) as { keys: { kid: string }[] };
  return keys.map((k) => k.kid);
}

async function signedKid(ctx: TestContext): Promise<string> {
  const { token } = await ctx.scope.tokens.accessToken({
    clientId: 'c',
    sub: 's',
    scope: 'x',
    audience: ctx.config.issuer,
    grantId: null,
  });
  return decodeProtectedHeader(token).kid as string;
}

describe('signing key rotation', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('publishes the new key before signing with it, and keeps the old one until its tokens expire', async () => {
    const oldKid = await signedKid(ctx);
    const newKid = await ctx.scope.keys.rotate('ES256');
    assert.ok(newKid);

    // Published at once, not yet signing.
    assert.ok((await jwksKids(ctx)).includes(newKid));
    assert.equal(await signedKid(ctx), oldKid);

    // A token signed just before the switch stays verifiable through the whole switch.
    const jwksBefore = createLocalJWKSet((await (await ctx.app.request(at('/.well-known/jwks.json'))).json()) as never);
    const { token: late } = await ctx.scope.tokens.accessToken({
      clientId: 'c',
      sub: 's',
      scope: 'x',
      audience: ctx.config.issuer,
      grantId: null,
    });

    ctx.clock.advance(ctx.config.keyPublishLead + 1);
    ctx.scope.keys.invalidate();
    assert.equal(await signedKid(ctx), newKid);
    const kids = await jwksKids(ctx);
    assert.ok(kids.includes(oldKid), 'old key still published');
    await jwtVerify(late, jwksBefore, { currentDate: new Date(ctx.clock() * 1000) });

    // Once everything the old key signed has expired, it leaves the JWKS.
    ctx.clock.advance(Math.max(ctx.config.accessTokenTtl, ctx.config.idTokenTtl) + ctx.config.keyPublishLead + 1);
    assert.ok(!(await jwksKids(ctx)).includes(oldKid));
  });

  it('rotates a due key once even when every instance finds it due at the same time', async () => {
    const [current] = (await ctx.scope.keys.list()).filter((k) => k.alg === 'RS256' && k.retiresAt === null);
    assert.ok(current);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => ctx.scope.keys.rotate('RS256', current.kid)));
    assert.equal(results.filter(Boolean).length, 1);
    const live = (await ctx.scope.keys.list()).filter((k) => k.alg === 'RS256' && k.retiresAt === null);
    assert.equal(live.length, 1);
  });

  it('rotates automatically when a key is older than GATEHOUSE_KEY_ROTATION_DAYS', async () => {
    const local = await createTestContext({ GATEHOUSE_KEY_ROTATION_DAYS: '1' });
    try {
      const before = await local.scope.keys.list();
      await runMaintenance(local.services);
      assert.equal((await local.scope.keys.list()).length, before.length, 'nothing due yet');
      local.clock.advance(86_400 + 1);
      await runMaintenance(local.services);
      const after = await local.scope.keys.list();
      assert.equal(after.length, before.length + 3);
      assert.equal(after.filter((k) => k.status === 'pending').length, 3);
    } finally {
      await local.close();
    }
  });

  it('verifies at once a token signed by a key another instance just put to use (rotate --now)', async () => {
    const { IssuerScopes } = await import('../../src/issuers/scopes.js');
    const otherInstance = await new IssuerScopes(ctx.services, TEST_SECRET).defaultScope();
    const input = { clientId: 'c', sub: 'u', scope: 'openid', audience: ctx.scope.url, grantId: null };
    // The other instance has read the keys: its cache is warm.
    await otherInstance.tokens.verifyAccessToken((await ctx.scope.tokens.accessToken(input)).token);
    const kid = await ctx.scope.keys.rotate('ES256', undefined, true);
    ctx.scope.keys.invalidate();
    const token = (await ctx.scope.tokens.accessToken(input)).token;
    assert.equal(decodeProtectedHeader(token).kid, kid, 'signed by the new key');
    const claims = await otherInstance.tokens.verifyAccessToken(token);
    assert.equal(claims.sub, 'u');
  });

  it('lets another instance see a rotation within the key cache time', async () => {
    const other = await createTestContext();
    try {
      const kid = await other.scope.keys.rotate('ES256');
      assert.ok(kid);
      // This instance's cache is refreshed at most cacheSeconds later, well before the key signs.
      const { cacheSeconds, jwksMaxAge, publishLead } = other.scope.keys.timing;
      assert.ok(cacheSeconds + jwksMaxAge < publishLead);
      other.clock.advance(cacheSeconds);
      assert.ok((JSON.parse(await other.scope.keys.jwksJson()) as { keys: { kid: string }[] }).keys.some((k) => k.kid === kid));
    } finally {
      await other.close();
    }
  });
});

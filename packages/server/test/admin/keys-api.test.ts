import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { at } from '../helpers/prefix.js';

interface KeyView {
  kid: string;
  alg: string;
  status: string;
  retires_at: string | null;
  expires_at: string | null;
}

/** The key an access token is signed with now, and the token. */
async function signedKid(ctx: TestContext): Promise<{ kid: string; alg: string; token: string }> {
  ctx.scope.keys.invalidate();
  const { token } = await ctx.scope.tokens.accessToken({ clientId: 'c', sub: 's', scope: 'x', audience: ctx.config.issuer, grantId: null });
  const header = decodeProtectedHeader(token);
  return { kid: header.kid as string, alg: header.alg as string, token };
}

describe('Admin API: signing keys', () => {
  let ctx: TestContext;
  let writer: string;
  let writerId: string;
  before(async () => {
    ctx = await createTestContext();
    ({ token: writer, userId: writerId } = await personToken(ctx, 'admin'));
  });
  after(() => ctx.close());
  const keys = async (alg?: string): Promise<KeyView[]> => {
    const res = await admin(ctx, writer, 'GET', '/keys');
    const body = (await res.json()) as { data: (KeyView & Record<string, unknown>)[] };
    return body.data.filter((k) => alg === undefined || k.alg === alg);
  };

  it('lists keys with status and times, never key material', async () => {
    const res = await admin(ctx, writer, 'GET', '/keys');
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.doesNotMatch(text, /"d"|private|public_jwk|"n":/);
    const { data } = JSON.parse(text) as { data: KeyView[] };
    assert.deepEqual(data.map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'RS256']);
    assert.ok(data.every((k) => k.status === 'signing' && k.retires_at === null));
  });

  it('refuses to retire the only signing key of an algorithm, saying to rotate first', async () => {
    const [only] = await keys('RS256');
    const res = await admin(ctx, writer, 'POST', `/keys/${only?.kid}/retire`);
    assert.equal(res.status, 409);
    const problem = (await res.json()) as { detail: string; errors: { field: string }[] };
    assert.match(problem.detail, /rotate first/);
    assert.deepEqual(
      problem.errors.map((e) => e.field),
      ['kid'],
    );
    assert.equal((await admin(ctx, writer, 'POST', '/keys/nope/retire')).status, 404);
  });

  it('rotates like the CLI: the new key is pending, then retiring the old one makes it sign at once', async () => {
    const before = await signedKid(ctx);
    const res = await admin(ctx, writer, 'POST', '/keys/rotate', { alg: before.alg });
    assert.equal(res.status, 200, await res.clone().text());
    const { rotated } = (await res.json()) as { rotated: { alg: string; kid: string }[] };
    assert.deepEqual(
      rotated.map((r) => r.alg),
      [before.alg],
    );
    const next = rotated[0]?.kid ?? '';
    assert.equal((await keys(before.alg)).find((k) => k.kid === next)?.status, 'pending');
    assert.equal((await admin(ctx, writer, 'POST', `/keys/${next}/retire`)).status, 409, 'a pending key does not sign yet');

    const retired = await admin(ctx, writer, 'POST', `/keys/${before.kid}/retire`);
    assert.equal(retired.status, 200, await retired.clone().text());
    const body = (await retired.json()) as KeyView & { activated: string };
    assert.deepEqual([body.status, body.activated], ['retired', next]);
    assert.equal((await signedKid(ctx)).kid, next, 'signs with the replacement at once');

    // Still published, so what it signed still verifies.
    const jwks = (await (await ctx.app.request(at('/.well-known/jwks.json'))).json()) as { keys: { kid: string }[] };
    assert.ok(jwks.keys.some((k) => k.kid === before.kid));
    await jwtVerify(before.token, createLocalJWKSet(jwks as never));

    const [event] = await ctx.scope.repos.events.list({ type: 'key.retired' });
    assert.deepEqual(event?.payload, { alg: before.alg, kid: before.kid, activated: next });
    assert.equal(event?.actor, `user:${writerId}`);
    const [rotatedEvent] = await ctx.scope.repos.events.list({ type: 'key.rotated' });
    assert.equal(rotatedEvent?.actor, `user:${writerId}`);
    const again = await admin(ctx, writer, 'POST', `/keys/${before.kid}/retire`);
    assert.equal(again.status, 409);
  });

  it('refuses a bad rotation body with a problem naming the field', async () => {
    const res = await admin(ctx, writer, 'POST', '/keys/rotate', { alg: 'HS256' });
    assert.equal(res.status, 400);
    assert.deepEqual(
      ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['alg'],
    );
    const viewer = (await personToken(ctx, 'viewer')).token;
    assert.equal((await admin(ctx, viewer, 'POST', '/keys/rotate', {})).status, 403);
    assert.equal((await admin(ctx, viewer, 'GET', '/keys')).status, 200);
  });
});

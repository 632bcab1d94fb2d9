import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { Hono } from 'hono';
import type { ChallengeContext } from '../../src/factors/factor.js';
import { factorOf } from '../../src/factors/registry.js';
import { registrationOptions, verifyRegistration } from '../../src/passkeys/ceremonies.js';
import { translator } from '../../src/pages/translator.js';
import type { User } from '../../src/store/repos/users.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { ISSUER } from '../helpers/prefix.js';
import { VirtualAuthenticator } from '../helpers/virtual-authenticator.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';

// The passkey as a second factor, through the SecondFactor interface alone (as the `mfa` step
// uses it): the challenge part of the page, then verify() of what its form posts.
const ORIGIN = new URL(ISSUER).origin;

describe('the passkey second factor', { timeout: 3 * WAIT_GUARD_MS }, () => {
  let ctx: TestContext;
  let authenticator: VirtualAuthenticator;
  let user: User;
  let app: Hono;
  const factor = factorOf('passkey');

  function challengeContext(userId: string, interactionId: string): ChallengeContext {
    return { userId, interactionId, csrf: 'csrf-token', action: `/interaction/${interactionId}/mfa`, t: translator('en') };
  }

  before(async () => {
    ctx = await createTestContext();
    user = await createTestUser(ctx);
    authenticator = await VirtualAuthenticator.start();
    assert.ok(factor, 'listed in factors/registry.ts');
    const f = factor;
    // A stand-in for the `mfa` step: it renders the factor's part and hands it the posted form
    // (with the issuer's scope bound to the request, as the server binds it).
    app = new Hono();
    app.get('/challenge/:user/:ix', async (c) => c.html(String(await f.challenge(c, ctx.scope, challengeContext(c.req.param('user'), c.req.param('ix'))))));
    app.post('/verify/:user/:ix', async (c) => {
      const form = new URLSearchParams(await c.req.text());
      return c.json(await f.verify(c, ctx.scope, challengeContext(c.req.param('user'), c.req.param('ix')), form));
    });
  });
  after(async () => {
    await authenticator?.close();
    await ctx?.close();
  });

  async function ask(userId: string, interactionId: string): Promise<{ html: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    const html = await (await app.request(`/challenge/${userId}/${interactionId}`, {}, { scope: ctx.scope })).text();
    const raw = /data-options="([^"]*)"/.exec(html)?.[1] ?? '';
    return { html, options: JSON.parse(raw.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as PublicKeyCredentialRequestOptionsJSON };
  }

  async function answer(userId: string, interactionId: string, response: string | undefined): Promise<Record<string, unknown>> {
    const body = new URLSearchParams({ csrf: 'csrf-token', factor: 'passkey' });
    if (response !== undefined) body.set('response', response);
    return (await app.request(`/verify/${userId}/${interactionId}`, { method: 'POST', body: body.toString() }, { scope: ctx.scope })).json() as Promise<
      Record<string, unknown>
    >;
  }

  it('is enrolled once the user has a passkey', async () => {
    assert.ok(factor);
    assert.equal(await factor.enrolled(ctx.scope, user.id), false);
    const response = await authenticator.create(ORIGIN, await registrationOptions(ctx.scope, user, 'session-f'));
    const registered = await verifyRegistration(ctx.scope, 'session-f', user.id, response, 'Key');
    assert.ok(registered.ok);
    await ctx.scope.repos.passkeys.create(registered.passkey);
    assert.equal(await factor.enrolled(ctx.scope, user.id), true);
  });

  it("renders a form posting to the step's action, and accepts the user's passkey once", async () => {
    const { html, options } = await ask(user.id, 'ix-factor-1');
    assert.match(html, /<form method="post" action="\/interaction\/ix-factor-1\/mfa" id="passkey-factor-form" data-passkey="factor"/);
    assert.match(html, /name="factor" value="passkey"/);
    assert.match(html, /name="csrf" value="csrf-token"/);
    assert.equal(options.userVerification, 'preferred');
    const response = await authenticator.get(ORIGIN, options);
    assert.deepEqual(await answer(user.id, 'ix-factor-1', response), { ok: true, amr: ['hwk', 'user'] });
    const replayed = await answer(user.id, 'ix-factor-1', response);
    assert.equal(replayed.ok, false);
    assert.equal(replayed.status, 401);
  });

  it('refuses an answer from another interaction, and a post without the script', async () => {
    const { options } = await ask(user.id, 'ix-factor-2');
    const response = await authenticator.get(ORIGIN, options);
    assert.equal((await answer(user.id, 'ix-factor-3', response)).status, 401);
    assert.equal((await answer(user.id, 'ix-factor-2', undefined)).status, 400);
    const failures = await ctx.services.store.db.selectFrom('events').select(['payload', 'user_id']).where('type', '=', 'passkey.used_failed').execute();
    assert.ok(failures.some((e) => e.user_id === user.id && String(e.payload).includes('"mfa"')));
  });
});

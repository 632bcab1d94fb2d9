import assert from 'node:assert/strict';
import { EventDeliveryRepository } from '../../../src/store/repos/event-deliveries.js';
import { after, before, describe, it } from 'node:test';
import type { AuthorizationRequest } from '../../../src/authorize/request.js';
import { createIssuer } from '../../../src/issuers/service.js';
import { scopeOf } from '../../../src/services.js';
import { IssuerRepository } from '../../../src/store/repos/issuers.js';
import { LAST_SEEN_STEP } from '../../../src/store/repos/sessions.js';
import { sha256 } from '../../../src/tokens/random.js';
import { TEST_REDIRECT_URI, type TestContext, createTestClient, createTestContext, createTestUser } from '../../helpers/harness.js';

// The store contract: what each repository method does, on the backend under test (this file
// runs on SQLite and on PostgreSQL). The protocol and page suites, which run on SQLite only,
// reach these methods too; this is where their statements are held to one meaning on both.
// Methods with a store test of their own (codes.exchange, refreshTokens.rotate/consume,
// loginAttempts, passwordResets, accessTokenRevocations, the organization repositories) are
// covered there and in fast-paths.test.ts; issuer isolation is in issuers/isolation.test.ts.
describe('store contract: every repository method', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());
  const repos = () => ctx.scope.repos;

  it('clients: create, find, list, update, rotateSecret, delete', async () => {
    const { client, secret } = await createTestClient(ctx, {
      name: 'Contract',
      resources: ['https://api.example.com'],
      refreshReuseGrace: 2,
      idTokenAlg: 'ES256',
    });
    assert.match(secret ?? '', /^ghs_/);
    assert.equal(client.secretHash, sha256(secret ?? ''), 'only the hash is kept');
    assert.deepEqual(
      {
        name: client.name,
        issuer: client.issuerId,
        resources: client.resources,
        grace: client.refreshReuseGrace,
        alg: client.idTokenAlg,
        pkce: client.pkce,
        isPublic: client.isPublic,
      },
      { name: 'Contract', issuer: 'default', resources: ['https://api.example.com'], grace: 2, alg: 'ES256', pkce: 'required', isPublic: false },
    );
    ctx.clock.advance(1);
    const spa = await createTestClient(ctx, { name: 'SPA', isPublic: true, grantTypes: ['authorization_code'] });
    assert.equal(spa.secret, null);
    assert.equal(spa.client.secretHash, null);
    assert.deepEqual(await repos().clients.find(client.id), client);
    const listed = (await repos().clients.list()).map((c) => c.id);
    assert.ok(listed.indexOf(client.id) >= 0 && listed.indexOf(client.id) < listed.indexOf(spa.client.id), 'listed oldest first');

    assert.equal(
      await repos().clients.update(client.id, {
        name: 'Renamed',
        redirectUris: ['https://a.example/cb'],
        postLogoutRedirectUris: ['https://a.example/'],
        scopes: ['openid'],
        pkce: 'optional',
        refreshReuseGrace: 0,
      }),
      true,
    );
    const updated = await repos().clients.find(client.id);
    assert.deepEqual(
      {
        name: updated?.name,
        redirect: updated?.redirectUris,
        logout: updated?.postLogoutRedirectUris,
        scopes: updated?.scopes,
        pkce: updated?.pkce,
        grace: updated?.refreshReuseGrace,
        grants: updated?.grantTypes,
      },
      {
        name: 'Renamed',
        redirect: ['https://a.example/cb'],
        logout: ['https://a.example/'],
        scopes: ['openid'],
        pkce: 'optional',
        grace: 0,
        grants: client.grantTypes,
      },
    );
    assert.equal(await repos().clients.update('gh_nobody', { name: 'x' }), false);

    const before = await repos().clients.find(client.id);
    const rotated = (await repos().clients.rotateSecret(client.id))?.secret;
    assert.match(rotated ?? '', /^ghs_/);
    const after = await repos().clients.find(client.id);
    assert.equal(after?.secretHash, sha256(rotated ?? ''));
    assert.equal(after?.previousSecret, null, 'no overlap: the old secret is gone');
    assert.equal(after?.revision, (before?.revision ?? 0) + 1);
    assert.equal(await repos().clients.rotateSecret('gh_nobody'), undefined);

    // With an overlap the previous hash is kept until then; a stale revision rotates nothing.
    const overlapped = await repos().clients.rotateSecret(client.id, { overlapSeconds: 600, revision: after?.revision });
    assert.equal(overlapped?.previousSecretExpiresAt, ctx.clock() + 600);
    const kept = await repos().clients.find(client.id);
    assert.deepEqual(kept?.previousSecret, { hash: sha256(rotated ?? ''), expiresAt: ctx.clock() + 600 });
    assert.equal(await repos().clients.rotateSecret(client.id, { overlapSeconds: 600, revision: after?.revision }), undefined, 'stale revision');

    assert.equal(await repos().clients.delete(client.id), true);
    assert.equal(await repos().clients.find(client.id), undefined);
    assert.equal(await repos().clients.delete(client.id), false, 'once');
    const types = (await repos().events.list({ clientId: client.id })).map((e) => e.type).sort();
    assert.deepEqual(
      types,
      ['client.created', 'client.deleted', 'client.secret_rotated', 'client.secret_rotated', 'client.updated'].sort(),
      'each change recorded with it',
    );
  });

  it('users: create, findById, findByEmail, list, setPasswordHash, replacePasswordHash, setDisabled', async () => {
    const user = await repos().users.create({
      email: '  Mixed.Case@Example.COM ',
      emailVerified: true,
      passwordHash: 'h1',
      name: 'Mixed',
      givenName: 'M',
      familyName: 'C',
      preferredUsername: 'mc',
      picture: 'https://p.example/m.png',
    });
    assert.deepEqual(
      {
        email: user.email,
        verified: user.emailVerified,
        hash: user.passwordHash,
        name: user.name,
        given: user.givenName,
        family: user.familyName,
        username: user.preferredUsername,
        picture: user.picture,
        disabled: user.disabled,
      },
      {
        email: 'mixed.case@example.com',
        verified: true,
        hash: 'h1',
        name: 'Mixed',
        given: 'M',
        family: 'C',
        username: 'mc',
        picture: 'https://p.example/m.png',
        disabled: false,
      },
    );
    assert.deepEqual(await repos().users.findById(user.id), user);
    assert.deepEqual(await repos().users.findByEmail('MIXED.case@example.com'), user);
    assert.equal(await repos().users.findByEmail('nobody@example.com'), undefined);
    await assert.rejects(repos().users.create({ email: 'mixed.case@example.com', passwordHash: null }), 'one account per email in an issuer');
    const bare = await repos().users.create({ email: 'bare@example.com', passwordHash: null });
    assert.deepEqual({ verified: bare.emailVerified, hash: bare.passwordHash, name: bare.name }, { verified: false, hash: null, name: null });
    const listed = (await repos().users.list()).map((u) => u.id);
    assert.ok(listed.includes(user.id) && listed.includes(bare.id));

    ctx.clock.advance(10);
    assert.equal(await repos().users.setPasswordHash(user.id, 'h2', false), true);
    const changed = await repos().users.findById(user.id);
    assert.equal(changed?.passwordHash, 'h2');
    assert.equal(changed?.updatedAt, ctx.clock());
    assert.equal(await repos().users.setPasswordHash('nobody', 'h'), false);
    assert.equal(await repos().users.replacePasswordHash(user.id, 'h1', 'h3'), false, 'only while the hash is still the one read');
    assert.equal(await repos().users.replacePasswordHash(user.id, 'h2', 'h3'), true);
    assert.equal((await repos().users.findById(user.id))?.passwordHash, 'h3');

    assert.equal(await repos().users.setDisabled(user.id, true), true);
    assert.equal((await repos().users.findById(user.id))?.disabled, true);
    assert.equal(await repos().users.setDisabled(user.id, false), true);
    assert.equal((await repos().users.findById(user.id))?.disabled, false);
    assert.equal(await repos().users.setDisabled('nobody', true), false);
    const types = (await repos().events.list({ userId: user.id })).map((e) => e.type);
    assert.deepEqual(types, ['user.enabled', 'user.disabled', 'user.password_changed', 'user.created']);
  });

  it('sessions: create, replace, findByCookie, findById, findBySid, end, endAllForUser', async () => {
    const user = await createTestUser(ctx);
    const first = await repos().sessions.create(user.id, 3600);
    assert.deepEqual(first.session, {
      id: sha256(first.cookieValue),
      sid: first.session.sid,
      userId: user.id,
      authTime: ctx.clock(),
      amr: ['pwd'],
      acr: 'urn:gatehouse:acr:1fa',
      createdAt: ctx.clock(),
      expiresAt: ctx.clock() + 3600,
      userAgent: null,
      ip: null,
      lastSeenAt: null,
    });
    assert.deepEqual(await repos().sessions.findByCookie(first.cookieValue), first.session);
    assert.deepEqual(await repos().sessions.findById(first.session.id), first.session);
    assert.deepEqual(await repos().sessions.findBySid(first.session.sid), first.session);
    assert.equal(await repos().sessions.findByCookie('not-a-cookie'), undefined);

    const second = await repos().sessions.replace(first.cookieValue, user.id, 3600);
    assert.equal(await repos().sessions.findByCookie(first.cookieValue), undefined, 'the one it replaces has ended');
    assert.deepEqual(await repos().sessions.findByCookie(second.cookieValue), second.session);
    const third = await repos().sessions.replace(undefined, user.id, 60);
    ctx.clock.advance(61);
    assert.equal(await repos().sessions.findById(third.session.id), undefined, 'expired');
    assert.equal(await repos().sessions.findBySid(third.session.sid), undefined);

    await repos().sessions.end(second.session.id, 'logout');
    assert.equal(await repos().sessions.findById(second.session.id), undefined);
    const a = await repos().sessions.create(user.id, 3600);
    const b = await repos().sessions.create(user.id, 3600);
    const c = await repos().sessions.create(user.id, 3600);
    await repos().sessions.endAllForUser(user.id, 'password_changed', c.session.id);
    assert.equal(await repos().sessions.findById(a.session.id), undefined);
    assert.equal(await repos().sessions.findById(b.session.id), undefined);
    assert.deepEqual(await repos().sessions.findById(c.session.id), c.session, 'the kept one');
    await repos().sessions.endAllForUser(user.id, 'user_disabled');
    assert.equal(await repos().sessions.findById(c.session.id), undefined);
    const reasons = (await repos().events.list({ userId: user.id, type: 'session.ended' })).map((e) => (e.payload as { reason: string }).reason);
    assert.deepEqual(reasons, ['user_disabled', 'password_changed', 'logout']);
  });

  it('sessions: the browser it was started from, and touch (last use, at most once per step)', async () => {
    const user = await createTestUser(ctx);
    const { session } = await repos().sessions.create(user.id, 3600, undefined, { userAgent: 'Mozilla/5.0 Firefox/133.0', ip: '2001:db8::7' });
    assert.deepEqual([session.userAgent, session.ip, session.lastSeenAt], ['Mozilla/5.0 Firefox/133.0', '2001:db8::7', null]);
    assert.deepEqual(await repos().sessions.findById(session.id), session);
    await repos().sessions.touch(session);
    assert.equal((await repos().sessions.findById(session.id))?.lastSeenAt, null, 'just started: nothing to note');
    ctx.clock.advance(LAST_SEEN_STEP);
    await repos().sessions.touch(session);
    const seen = await repos().sessions.findById(session.id);
    assert.equal(seen?.lastSeenAt, ctx.clock());
    ctx.clock.advance(LAST_SEEN_STEP - 1);
    // A stale copy (another instance's) is held back by the stored value.
    await repos().sessions.touch(session);
    assert.equal((await repos().sessions.findById(session.id))?.lastSeenAt, seen?.lastSeenAt);
    const [started] = await repos().events.page({ types: ['session.started'], userId: user.id, limit: 1 });
    assert.equal(started?.address, '2001:db8::7');
  });

  it('interactions: create, find, advance, complete', async () => {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const params = { clientId: client.id, redirectUri: TEST_REDIRECT_URI, scope: 'openid' } as unknown as AuthorizationRequest;
    const { interaction, browserSecret } = await repos().interactions.create(params, 'login', 600, null, null);
    assert.equal(interaction.browserHash, sha256(browserSecret));
    assert.deepEqual(await repos().interactions.find(interaction.id), interaction);
    assert.deepEqual(interaction.params, params);
    await repos().interactions.advance(interaction.id, 'consent', user.id, 'session-1');
    assert.deepEqual(await repos().interactions.find(interaction.id), { ...interaction, prompt: 'consent', userId: user.id, sessionId: 'session-1' });
    assert.equal(await repos().interactions.complete(interaction.id), true);
    assert.equal(await repos().interactions.complete(interaction.id), false, 'once');
    assert.equal(await repos().interactions.find(interaction.id), undefined);
    const late = await repos().interactions.create(params, 'consent', 60, user.id, 'session-2');
    ctx.clock.advance(61);
    assert.equal(await repos().interactions.find(late.interaction.id), undefined, 'expired');
  });

  it('consents: find, add (merging), revoke', async () => {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    assert.deepEqual(await repos().consents.find(user.id, client.id), []);
    await repos().consents.add(user.id, client.id, ['openid', 'email']);
    await repos().consents.add(user.id, client.id, ['email', 'payments']);
    assert.deepEqual(await repos().consents.find(user.id, client.id), ['openid', 'email', 'payments']);
    await repos().consents.revoke(user.id, client.id);
    assert.deepEqual(await repos().consents.find(user.id, client.id), []);
    const types = (await repos().events.list({ userId: user.id, clientId: client.id })).map((e) => e.type);
    assert.deepEqual(types, ['consent.revoked', 'consent.granted', 'consent.granted']);
  });

  it('grants: create, findActive, findActiveForAccessToken, listForUser, listWithAppsForUser, revoke, revokeAllForUser', async () => {
    const { client } = await createTestClient(ctx, { name: 'Granted app' });
    const other = await createTestClient(ctx, { name: 'Other app' });
    const user = await createTestUser(ctx);
    const input = {
      clientId: client.id,
      userId: user.id,
      scope: 'openid email',
      sid: 'sid-g',
      authTime: ctx.clock() - 1,
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'urn:gatehouse:acr:2fa',
      resource: 'https://api.example.com',
    };
    const g1 = await repos().grants.create(input, 3600);
    assert.deepEqual(g1, { id: g1.id, ...input, createdAt: ctx.clock(), expiresAt: ctx.clock() + 3600, revokedAt: null });
    assert.deepEqual(await repos().grants.findActive(g1.id), g1);
    assert.deepEqual(await repos().grants.findActiveForAccessToken(g1.id, 'jti-1'), g1);
    await repos().accessTokenRevocations.revoke('jti-1', ctx.clock() + 60);
    assert.equal(await repos().grants.findActiveForAccessToken(g1.id, 'jti-1'), undefined, 'a revoked access token finds no grant');

    ctx.clock.advance(1);
    const g2 = await repos().grants.create({ ...input, clientId: other.client.id }, 3600);
    await repos().refreshTokens.create(g2.id, other.client.id, g2.expiresAt);
    assert.deepEqual(
      (await repos().grants.listForUser(user.id)).map((g) => g.id),
      [g2.id, g1.id],
      'newest first',
    );
    const apps = await repos().grants.listWithAppsForUser(user.id);
    assert.deepEqual(
      apps.map((a) => [a.grant.id, a.clientName, a.lastRefreshedAt]),
      [
        [g2.id, 'Other app', ctx.clock()],
        [g1.id, 'Granted app', null],
      ],
    );

    await repos().grants.revoke(g1.id, 'revoked_by_client');
    assert.equal(await repos().grants.findActive(g1.id), undefined);
    await repos().grants.revoke(g1.id, 'revoked_by_client');
    const g3 = await repos().grants.create(input, 3600);
    await repos().grants.revokeAllForUser(user.id, 'revoked_by_user', client.id);
    assert.equal(await repos().grants.findActive(g3.id), undefined);
    assert.deepEqual(await repos().grants.findActive(g2.id), g2, "another client's grant stays");
    await repos().grants.revokeAllForUser(user.id, 'user_disabled');
    assert.deepEqual(await repos().grants.listForUser(user.id), []);
    const revoked = (await repos().events.list({ userId: user.id, type: 'grant.revoked' })).map((e) => (e.payload as { grant_id: string }).grant_id);
    assert.deepEqual(revoked.sort(), [g1.id, g2.id, g3.id].sort(), 'each grant ended once, with its event');

    const expiring = await repos().grants.create(input, 10);
    ctx.clock.advance(11);
    assert.equal(await repos().grants.findActive(expiring.id), undefined, 'expired');
  });

  it('codes: create stores only the hash; consume once, then reused; spendAllForUser', async () => {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const input = {
      clientId: client.id,
      userId: user.id,
      redirectUri: TEST_REDIRECT_URI,
      codeChallenge: 'c'.repeat(43),
      scope: 'openid',
      nonce: 'n',
      sid: null,
      authTime: ctx.clock(),
      amr: ['pwd'],
      acr: 'urn:gatehouse:acr:1fa',
      resource: null,
      // The claims the request's `claims` parameter asked into the ID token come back with the code.
      idTokenClaims: ['email'],
    };
    const code = await repos().codes.create(input, 60);
    const row = await ctx.services.store.db.selectFrom('authorization_codes').selectAll().where('id', '=', sha256(code)).executeTakeFirst();
    assert.equal(row?.expires_at, ctx.clock() + 60);
    const ok = await repos().codes.consume(code, client.id, 'grant-1');
    assert.equal(ok.status, 'ok');
    assert.deepEqual(ok.status === 'ok' && { ...ok.code }, {
      id: sha256(code),
      ...input,
      expiresAt: ctx.clock() + 60,
      consumedAt: ctx.clock(),
      grantId: 'grant-1',
    });
    const again = await repos().codes.consume(code, client.id, 'grant-2');
    assert.equal(again.status, 'reused');
    assert.equal(again.status === 'reused' && again.code.grantId, 'grant-1', 'names what the first exchange produced');

    const unused = await repos().codes.create(input, 60);
    const otherClient = (await createTestClient(ctx)).client.id;
    const otherClients = await repos().codes.create({ ...input, clientId: otherClient }, 60);
    await repos().codes.spendAllForUser(user.id, client.id);
    assert.equal((await repos().codes.consume(unused, client.id, 'g')).status, 'reused');
    assert.equal((await repos().codes.consume(otherClients, otherClient, 'g')).status, 'ok', "another client's code stays");
  });

  it('refresh tokens: create, find, consume (ok, reused, invalid)', async () => {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const grant = await repos().grants.create({ clientId: client.id, userId: user.id, scope: 'openid', sid: null, authTime: null, resource: null }, 3600);
    const token = await repos().refreshTokens.create(grant.id, client.id, grant.expiresAt);
    const found = await repos().refreshTokens.find(token);
    assert.deepEqual(found && { ...found, id: undefined }, {
      id: undefined,
      grantId: grant.id,
      clientId: client.id,
      expiresAt: grant.expiresAt,
      consumed: false,
    });
    assert.equal((await repos().refreshTokens.consume(token, client.id)).status, 'ok');
    assert.equal((await repos().refreshTokens.find(token))?.consumed, true);
    assert.equal((await repos().refreshTokens.consume(token, client.id)).status, 'reused');
    assert.deepEqual(await repos().refreshTokens.consume('ghr_nonsense', client.id), { status: 'invalid' });
    assert.equal(await repos().refreshTokens.find('ghr_nonsense'), undefined);
  });

  it('rate limits: hit counts within a window, reset starts over', async () => {
    assert.equal(await repos().rateLimits.hit('contract', 60), 1);
    assert.equal(await repos().rateLimits.hit('contract', 60), 2);
    await repos().rateLimits.reset('contract');
    assert.equal(await repos().rateLimits.hit('contract', 60), 1);
    ctx.clock.advance(61);
    assert.equal(await repos().rateLimits.hit('contract', 60), 1, 'a new window');
  });

  it('mail outbox and deliveries: enqueue, claim (a lease; once while it runs), retryAt, delivered, deadLetter', async () => {
    const deliveries = new EventDeliveryRepository(ctx.services.store.db, ctx.clock);
    const drain = async (): Promise<void> => {
      for (let next = await deliveries.claim('mail', 60); next; next = await deliveries.claim('mail', 60)) await deliveries.delivered(next.eventId, 'mail');
    };
    await drain();
    const template = `contract-${ctx.clock()}`;
    await repos().mailOutbox.enqueue(template, 'a@example.com', 'default', 'de', { link: 'no secret' });
    ctx.clock.advance(1);
    await repos().mailOutbox.enqueue(template, 'b@example.com');
    const first = await deliveries.claim('mail', 60);
    assert.deepEqual(first && { consumer: first.consumer, issuerId: first.issuerId, type: first.type, payload: first.payload, attempts: first.attempts }, {
      consumer: 'mail',
      issuerId: 'default',
      type: 'mail.requested',
      payload: { template, recipient: 'a@example.com', locale: 'de', data: { link: 'no secret' } },
      attempts: 1,
    });
    const second = await deliveries.claim('mail', 60);
    assert.equal((second?.payload as { recipient: string } | undefined)?.recipient, 'b@example.com', 'the leased one is not handed out again');
    assert.equal(await deliveries.claim('mail', 60), undefined);
    await deliveries.retryAt(first?.eventId ?? '', 'mail', ctx.clock() + 30, 'relay said no');
    assert.equal(await deliveries.claim('mail', 60), undefined, 'not before its time');
    ctx.clock.advance(30);
    assert.equal((await deliveries.claim('mail', 60))?.attempts, 2);
    await deliveries.deadLetter(first?.eventId ?? '', 'mail', 'gave up');
    await deliveries.delivered(second?.eventId ?? '', 'mail');
    ctx.clock.advance(61);
    assert.equal(await deliveries.claim('mail', 60), undefined, 'one dead, one delivered');
    assert.equal((await deliveries.dead('mail')).filter((d) => d.eventId === first?.eventId).length, 1);

    // Instances racing for the rows (password/outbox.test.ts drives whole servers so, on SQLite).
    for (let i = 0; i < 5; i++) await repos().mailOutbox.enqueue(template, `race-${i}@example.com`);
    const claimed = await Promise.all(Array.from({ length: 12 }, () => deliveries.claim('mail', 60)));
    const recipients = claimed.flatMap((m) => (m ? [(m.payload as { recipient: string }).recipient] : []));
    assert.equal(new Set(recipients).size, recipients.length, 'no mail handed to two claimers');
    while (recipients.length < 5) {
      const next = await deliveries.claim('mail', 60);
      assert.ok(next, 'every due mail can be claimed');
      recipients.push((next.payload as { recipient: string }).recipient);
    }
    assert.deepEqual(
      recipients.sort(),
      [0, 1, 2, 3, 4].map((i) => `race-${i}@example.com`),
    );
  });

  it('events: record and list by type, user, client, since and limit, newest first', async () => {
    const start = ctx.clock() + 1000;
    ctx.clock.set(start);
    await repos().events.record({ type: 'user.created', userId: 'u-ev', payload: {} } as never);
    ctx.clock.advance(1);
    await repos().events.record({ type: 'client.created', clientId: 'c-ev', payload: { client_name: 'x', public: false } } as never);
    ctx.clock.advance(1);
    await repos().events.record({ type: 'consent.revoked', userId: 'u-ev', clientId: 'c-ev', actor: 'cli', payload: {} } as never);
    const since = await repos().events.list({ since: start });
    assert.deepEqual(
      since.map((e) => e.type),
      ['consent.revoked', 'client.created', 'user.created'],
    );
    assert.deepEqual(since[0] && { ...since[0], id: undefined }, {
      id: undefined,
      issuerId: 'default',
      type: 'consent.revoked',
      occurredAt: start + 2,
      actor: 'cli',
      userId: 'u-ev',
      clientId: 'c-ev',
      payload: {},
      address: null,
    });
    assert.deepEqual(
      (await repos().events.list({ userId: 'u-ev' })).map((e) => e.type),
      ['consent.revoked', 'user.created'],
    );
    assert.deepEqual(
      (await repos().events.list({ clientId: 'c-ev', type: 'client.created' })).map((e) => e.occurredAt),
      [start + 1],
    );
    assert.equal((await repos().events.list({ since: start, limit: 1 })).length, 1);
  });

  it('issuers: create, find, list, domains, update, addDomain, removeDomain, userCount, delete', async () => {
    const issuers = new IssuerRepository(ctx.services.store.db, ctx.clock);
    const record = await issuers.create({
      id: 'contract',
      name: 'Contract Inc',
      settings: { brand: { color: '#1f6feb' } },
      domains: ['login.contract.example'],
    });
    assert.deepEqual(
      { id: record.id, name: record.name, domains: record.domains },
      { id: 'contract', name: 'Contract Inc', domains: ['login.contract.example'] },
    );
    assert.deepEqual(await issuers.find('contract'), record);
    assert.ok((await issuers.list()).some((i) => i.id === 'contract'));
    assert.equal((await issuers.domains()).get('login.contract.example'), 'contract');
    assert.equal(await issuers.update('contract', { name: 'Renamed Inc' }), true);
    assert.equal((await issuers.find('contract'))?.name, 'Renamed Inc');
    assert.equal(await issuers.update('no-such-issuer', { name: 'x' }), false);
    await issuers.addDomain('contract', 'id.contract.example');
    assert.deepEqual((await issuers.find('contract'))?.domains.sort(), ['id.contract.example', 'login.contract.example']);
    assert.equal(await issuers.removeDomain('contract', 'login.contract.example'), true);
    assert.equal(await issuers.removeDomain('contract', 'login.contract.example'), false);
    assert.equal((await issuers.domains()).has('login.contract.example'), false);
    assert.equal(await issuers.userCount('contract'), 0);
    await createIssuer(ctx.services, { id: 'counted', name: 'Counted' });
    const counted = await scopeOf(ctx.services, 'counted');
    await counted.repos.users.create({ email: 'x@example.com', passwordHash: null });
    assert.equal(await issuers.userCount('counted'), 1);
    assert.equal(await issuers.delete('contract'), true);
    assert.equal(await issuers.find('contract'), undefined);
    assert.equal(await issuers.delete('contract'), false);
  });

  it('clients: page (cursor, q with LIKE characters matched literally) and update with a revision', async () => {
    const made: string[] = [];
    for (const name of ['Paging 50% off', 'Paging under_score', 'Paging plain']) {
      ctx.clock.advance(1);
      made.push((await createTestClient(ctx, { name })).client.id);
    }
    const first = await repos().clients.page({ limit: 2, q: 'PAGING' });
    assert.deepEqual(
      first.map((c) => c.id),
      made,
      'limit + 1 rows, in registration order',
    );
    const last = first[1];
    assert.ok(last);
    assert.deepEqual(
      (await repos().clients.page({ limit: 2, q: 'paging', after: [last.createdAt, last.id] })).map((c) => c.id),
      [made[2]],
    );
    assert.deepEqual(
      (await repos().clients.page({ limit: 5, q: '50%' })).map((c) => c.name),
      ['Paging 50% off'],
    );
    assert.deepEqual(
      (await repos().clients.page({ limit: 5, q: 'under_' })).map((c) => c.name),
      ['Paging under_score'],
    );
    assert.deepEqual(
      // Long enough that no random client id holds it (ids are searched too).
      (await repos().clients.page({ limit: 5, q: 'ging_u' })).map((c) => c.name),
      [],
      '_ is no wildcard ("ging u" is there)',
    );
    const id = made[0] as string;
    const revision = (await repos().clients.find(id))?.revision as number;
    assert.equal(await repos().clients.update(id, { name: 'Paging renamed' }, revision + 1), false, 'another revision: nothing written');
    assert.equal((await repos().clients.find(id))?.name, 'Paging 50% off');
    assert.equal(await repos().clients.update(id, { name: 'Paging renamed' }, revision), true);
    assert.equal((await repos().clients.find(id))?.revision, revision + 1);
  });

  it('users: page (cursor, q on email and name, client_id), update with a revision, delete; sessions: listForUser', async () => {
    const made: string[] = [];
    for (const [email, name] of [
      ['paging-1@example.com', 'Zoë 50% Quinn'],
      ['paging-2@example.com', 'Ada under_score'],
      ['other-3@example.com', 'Paging by name'],
    ] as const) {
      ctx.clock.advance(1);
      made.push((await repos().users.create({ email, name, passwordHash: null })).id);
    }
    const first = await repos().users.page({ limit: 2, q: 'PAGING' });
    assert.deepEqual(
      first.map((u) => u.id),
      made,
      'limit + 1 rows in creation order; the third matches by name',
    );
    const last = first[1];
    assert.ok(last);
    assert.deepEqual(
      (await repos().users.page({ limit: 2, q: 'paging', after: [last.createdAt, last.id] })).map((u) => u.id),
      [made[2]],
    );
    assert.deepEqual(
      (await repos().users.page({ limit: 5, q: '50%' })).map((u) => u.id),
      [made[0]],
    );
    assert.deepEqual(
      (await repos().users.page({ limit: 5, q: 'a_u' })).map((u) => u.id),
      [],
      '_ is no wildcard',
    );
    const { client } = await createTestClient(ctx, { name: 'Grants filter' });
    const grant = await repos().grants.create(
      { clientId: client.id, userId: made[1] as string, scope: 'openid', sid: null, authTime: null, resource: null },
      3600,
    );
    await repos().grants.create({ clientId: client.id, userId: made[2] as string, scope: 'openid', sid: null, authTime: null, resource: null }, 3600);
    await repos().grants.revokeAllForUser(made[2] as string, 'revoked_by_admin');
    assert.deepEqual(
      (await repos().users.page({ limit: 5, clientId: client.id })).map((u) => u.id),
      [made[1]],
      'only live grants count',
    );
    assert.ok(grant.id);

    const id = made[0] as string;
    const before = await repos().users.findById(id);
    assert.equal(before?.revision, 1);
    assert.equal(await repos().users.update(id, { name: 'Renamed' }, 2), false, 'another revision: nothing written');
    assert.equal(await repos().users.update(id, { name: 'Renamed', email: 'Renamed@Example.com', emailVerified: true, picture: null }, 1), true);
    const after = await repos().users.findById(id);
    assert.equal(after?.name, 'Renamed');
    assert.equal(after?.email, 'renamed@example.com', 'stored lower-cased');
    assert.equal(after?.revision, 2);
    await assert.rejects(repos().users.update(id, { email: 'paging-2@example.com' }), /already exists/);
    assert.equal(await repos().users.update('nobody', { name: 'x' }), false);
    assert.equal(await repos().users.setDisabled(id, true), true);
    assert.equal((await repos().users.findById(id))?.revision, 3, 'disabling bumps the revision');

    const { session } = await repos().sessions.create(id, 3600);
    ctx.clock.advance(1);
    const { session: newer } = await repos().sessions.create(id, 3600);
    assert.deepEqual(
      (await repos().sessions.listForUser(id)).map((x) => x.sid),
      [newer.sid, session.sid],
      'newest first',
    );
    await repos().sessions.end(session.id, 'logout');
    assert.deepEqual(
      (await repos().sessions.listForUser(id)).map((x) => x.sid),
      [newer.sid],
      'live ones only',
    );

    assert.equal(await repos().users.delete(id, 1), false, 'stale revision');
    assert.equal(await repos().users.delete(id), true);
    assert.equal(await repos().users.findById(id), undefined);
    assert.deepEqual(await repos().sessions.listForUser(id), [], 'sessions cascade');
    assert.equal(await repos().users.delete(id), false, 'once');
    const types = (await repos().events.list({ userId: id })).map((e) => e.type);
    assert.ok(types.includes('user.updated') && types.includes('user.deleted'), types.join());
  });

  it('admin roles: set (replacing), find, list, ownerCount, remove, each recording its event', async () => {
    const owner = await createTestUser(ctx);
    const other = await createTestUser(ctx);
    assert.equal(await repos().adminRoles.set(owner.id, 'owner'), undefined);
    assert.equal(await repos().adminRoles.set(other.id, 'viewer'), undefined);
    assert.equal(await repos().adminRoles.set(other.id, 'admin'), 'viewer');
    assert.equal(await repos().adminRoles.find(other.id), 'admin');
    assert.equal(await repos().adminRoles.ownerCount(), 1);
    assert.deepEqual(
      (await repos().adminRoles.list()).map((a) => [a.email, a.role]),
      [
        [owner.email, 'owner'],
        [other.email, 'admin'],
      ],
    );
    assert.equal(await repos().adminRoles.remove(other.id), 'admin');
    assert.equal(await repos().adminRoles.remove(other.id), undefined);
    const types = (await repos().events.list({ userId: other.id })).map((e) => e.type);
    assert.deepEqual(types.slice(0, 3), ['admin.role_revoked', 'admin.role_granted', 'admin.role_granted']);
    assert.equal(await ctx.scope.transaction((r) => r.adminRoles.ownerCount()), 1, 'counted (and locked on PostgreSQL) in a transaction');
  });

  it('idempotency keys: reserve once, complete, find within a day, release, sweep', async () => {
    const keys = repos().idempotencyKeys;
    assert.equal(await keys.reserve('user:a', 'k1', 'f1'), true);
    assert.equal(await keys.reserve('user:a', 'k1', 'f1'), false, 'held by the first request');
    assert.equal(await keys.reserve('user:b', 'k1', 'f1'), true, 'another caller’s key is its own');
    assert.deepEqual(await keys.find('user:a', 'k1'), { fingerprint: 'f1', status: 0, response: '', createdAt: ctx.clock() });
    await keys.complete('user:a', 'k1', 201, 'sealed');
    assert.equal((await keys.find('user:a', 'k1'))?.status, 201);
    await keys.release('user:a', 'k1');
    assert.equal((await keys.find('user:a', 'k1'))?.status, 201, 'a completed key is not released');
    await keys.release('user:b', 'k1');
    assert.equal(await keys.find('user:b', 'k1'), undefined);
    ctx.clock.advance(86_400);
    assert.equal(await keys.find('user:a', 'k1'), undefined, 'expired after a day');
    assert.equal(await keys.reserve('user:a', 'k1', 'f2'), true, 'an expired key may be used again');
    ctx.clock.advance(86_400);
    const { IdempotencyKeyRepository } = await import('../../../src/store/repos/idempotency-keys.js');
    assert.ok((await IdempotencyKeyRepository.sweep(ctx.services.store.db, ctx.clock())) >= 1);
    assert.equal(await keys.find('user:a', 'k1'), undefined);
  });
});

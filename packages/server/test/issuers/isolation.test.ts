import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuthorizationRequest } from '../../src/authorize/request.js';
import { hashPassword } from '../../src/auth/password.js';
import { createIssuer } from '../../src/issuers/service.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { scopeOf } from '../../src/services.js';
import { newCode } from '../../src/store/repos/codes.js';
import { EventDeliveryRepository } from '../../src/store/repos/event-deliveries.js';
import { newSession } from '../../src/store/repos/sessions.js';
import type { User } from '../../src/store/repos/users.js';
import { type TestContext, TEST_REDIRECT_URI, createTestContext, randomSuccessor } from '../helpers/harness.js';
import { pkcePair } from '../helpers/pkce.js';

// Every repository, bound to one issuer, neither sees nor changes another issuer's rows: what
// issuer A wrote is unknown at issuer B, by every method, on SQLite and PostgreSQL alike.
const KEYS = { account: 'x', address: 'y', pair: 'z' };

describe('issuer isolation of every repository', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  let userA: User;
  let clientA: { id: string; secret: string };

  before(async () => {
    ctx = await createTestContext();
    await createIssuer(ctx.services, { id: 'beta', name: 'Beta' });
    a = ctx.scope;
    b = await scopeOf(ctx.services, 'beta');
    userA = await a.repos.users.create({ email: 'ada@example.com', emailVerified: true, passwordHash: await hashPassword('a password of A') });
    const created = await a.repos.clients.create({
      name: 'A app',
      redirectUris: [TEST_REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid'],
      isPublic: false,
      firstParty: false,
    });
    clientA = { id: created.client.id, secret: created.secret as string };
  });
  after(() => ctx.close());

  it('clients', async () => {
    assert.equal(await b.repos.clients.find(clientA.id), undefined);
    assert.ok(!(await b.repos.clients.list()).some((c) => c.id === clientA.id));
    assert.equal(await b.repos.clients.rotateSecret(clientA.id), undefined);
    assert.equal(await b.repos.clients.rotateSecret(clientA.id, { overlapSeconds: 60 }), undefined);
    assert.equal((await a.repos.clients.find(clientA.id))?.previousSecret, null, 'B rotated nothing of A');
    assert.equal(await b.repos.clients.delete(clientA.id), false);
    assert.equal((await a.repos.clients.find(clientA.id))?.issuerId, 'default');
  });

  it('users: the same email in two issuers is two accounts', async () => {
    assert.equal(await b.repos.users.findById(userA.id), undefined);
    assert.equal(await b.repos.users.findByEmail('ada@example.com'), undefined);
    assert.equal((await b.repos.loginAttempts.reserve('ada@example.com', KEYS, 'mac', 900)).user, undefined);
    const userB = await b.repos.users.create({ email: 'Ada@example.com', passwordHash: null });
    assert.notEqual(userB.id, userA.id);
    assert.deepEqual(
      (await b.repos.users.list()).map((u) => u.id),
      [userB.id],
    );
    assert.equal((await b.repos.loginAttempts.reserve('ada@example.com', KEYS, 'mac', 900)).user?.id, userB.id);
    assert.equal(await b.repos.users.setPasswordHash(userA.id, 'h'), false);
    assert.equal(await b.repos.users.replacePasswordHash(userA.id, userA.passwordHash as string, 'h'), false);
    assert.equal(await b.repos.users.setDisabled(userA.id, true), false);
    assert.equal(await b.repos.users.update(userA.id, { name: 'Taken over' }), false);
    assert.equal(await b.repos.users.delete(userA.id), false);
    assert.ok(!(await b.repos.users.page({ limit: 50 })).some((u) => u.id === userA.id));
    assert.ok(!(await b.repos.users.page({ limit: 50, q: 'ada' })).some((u) => u.id === userA.id));
    assert.deepEqual(await b.repos.users.page({ limit: 50, clientId: clientA.id }), []);
    const still = await a.repos.users.findById(userA.id);
    assert.notEqual(still?.name, 'Taken over');
    assert.equal(still?.disabled, false);
    assert.equal(still?.passwordHash, userA.passwordHash);
  });

  it('sessions', async () => {
    const { session, cookieValue } = await a.repos.sessions.create(userA.id, 3600);
    assert.equal(await b.repos.sessions.findByCookie(cookieValue), undefined);
    assert.equal(await b.repos.sessions.findById(session.id), undefined);
    assert.equal(await b.repos.sessions.findBySid(session.sid), undefined);
    await b.repos.sessions.end(session.id);
    await b.repos.sessions.endAllForUser(userA.id, 'logout');
    assert.deepEqual(await b.repos.sessions.listForUser(userA.id), []);
    assert.ok((await a.repos.sessions.listForUser(userA.id)).some((x) => x.sid === session.sid));
    assert.equal((await a.repos.sessions.findByCookie(cookieValue))?.id, session.id);
  });

  it('interactions, and the login that ends one', async () => {
    const request = { clientId: clientA.id, redirectUri: TEST_REDIRECT_URI } as AuthorizationRequest;
    const { interaction } = await a.repos.interactions.create(request, 'login', 600, null, null);
    assert.equal(await b.repos.interactions.find(interaction.id), undefined);
    const lookup = await b.repos.loginAttempts.reserve('ada@example.com', KEYS, 'mac', 900, { id: interaction.id, now: ctx.clock() });
    assert.equal(lookup.interaction, null);
    const s = newSession('beta', userA.id, 3600, ctx.clock());
    const c = newCode(
      'beta',
      {
        clientId: clientA.id,
        userId: userA.id,
        redirectUri: TEST_REDIRECT_URI,
        codeChallenge: 'x'.repeat(43),
        scope: 'openid',
        nonce: null,
        sid: s.session.sid,
        authTime: ctx.clock(),
        resource: null,
      },
      60,
      ctx.clock(),
    );
    assert.equal(await b.repos.interactions.completeWithLogin(interaction.id, s.row, c.row), false);
    await b.repos.interactions.advance(interaction.id, 'consent', userA.id, 'sid');
    assert.equal(await b.repos.interactions.complete(interaction.id), false);
    const open = await a.repos.interactions.find(interaction.id);
    assert.equal(open?.prompt, 'login');
    assert.equal(await a.repos.interactions.complete(interaction.id), true);
  });

  it('authorization codes', async () => {
    const { verifier, challenge } = pkcePair();
    const input = {
      clientId: clientA.id,
      userId: userA.id,
      redirectUri: TEST_REDIRECT_URI,
      codeChallenge: challenge,
      scope: 'openid',
      nonce: null,
      sid: null,
      authTime: ctx.clock(),
      resource: null,
    };
    const code = await a.repos.codes.create(input, 60);
    assert.equal(
      await b.repos.codes.exchange(code, { clientId: clientA.id, redirectUri: TEST_REDIRECT_URI, challenge }, { id: 'g-b', ttl: 3600 }, true),
      undefined,
    );
    assert.deepEqual(await b.repos.codes.consume(code, clientA.id, 'g-b2'), { status: 'invalid' });
    await b.repos.codes.spendAllForUser(userA.id, clientA.id);
    assert.ok(verifier);
    assert.equal((await a.repos.codes.consume(code, clientA.id, 'g-a')).status, 'ok');
  });

  it('grants, refresh tokens, access token revocations', async () => {
    const grant = await a.repos.grants.create(
      { clientId: clientA.id, userId: userA.id, scope: 'openid', sid: 'sid-of-a', authTime: null, resource: null },
      3600,
    );
    const refresh = await a.repos.refreshTokens.create(grant.id, clientA.id, ctx.clock() + 3600);
    assert.equal(await b.repos.grants.findActive(grant.id), undefined);
    assert.equal(await b.repos.grants.findActiveForAccessToken(grant.id, 'jti'), undefined);
    assert.equal(await b.repos.grants.findActiveWithUser(grant.id), undefined);
    assert.equal(await b.repos.grants.findActiveWithUserForAccessToken(grant.id, 'jti'), undefined);
    assert.deepEqual(await b.repos.grants.listForUser(userA.id), []);
    assert.deepEqual(await b.repos.grants.listWithAppsForUser(userA.id), []);
    await b.repos.grants.revoke(grant.id, 'revoked_by_client');
    await b.repos.grants.revokeAllForUser(userA.id, 'revoked_by_user');
    assert.equal(await b.repos.grants.revokeForSessions(['sid-of-a'], 'session_ended'), 0, 'a session id of A ends nothing at B');
    assert.equal(await b.repos.refreshTokens.find(refresh), undefined);
    assert.equal(await b.repos.refreshTokens.rotate(refresh, clientA.id, null, randomSuccessor), undefined);
    assert.deepEqual(await b.repos.refreshTokens.consume(refresh, clientA.id), { status: 'invalid' });
    await b.repos.accessTokenRevocations.revoke('jti-a', ctx.clock() + 60);
    assert.equal(await a.repos.accessTokenRevocations.isRevoked('jti-a'), false);
    assert.equal(await b.repos.accessTokenRevocations.isRevoked('jti-a'), true);
    // Untouched at A: the grant is live and its token rotates.
    assert.equal((await a.repos.grants.findActiveForAccessToken(grant.id, 'jti-a'))?.id, grant.id);
    assert.ok(await a.repos.refreshTokens.rotate(refresh, clientA.id, null, randomSuccessor));
  });

  it('consents and throttles', async () => {
    await a.repos.consents.add(userA.id, clientA.id, ['openid', 'email']);
    assert.deepEqual(await b.repos.consents.find(userA.id, clientA.id), []);
    await b.repos.consents.revoke(userA.id, clientA.id);
    assert.deepEqual(await a.repos.consents.find(userA.id, clientA.id), ['openid', 'email']);
    assert.equal(await a.repos.rateLimits.hit('login:acct:ada', 900), 1);
    assert.equal(await a.repos.rateLimits.hit('login:acct:ada', 900), 2);
    assert.equal(await b.repos.rateLimits.hit('login:acct:ada', 900), 1);
    await b.repos.rateLimits.reset('login:acct:ada');
    assert.equal(await a.repos.rateLimits.hit('login:acct:ada', 900), 3);
    const keys = { account: 'login:acct:ada', address: 'login:ip:none', pair: 'login:pair:none' };
    assert.equal((await a.repos.loginAttempts.reserve('ada@example.com', keys, 'mac-home', 900)).counts.account, 4);
    assert.equal((await b.repos.loginAttempts.reserve('ada@example.com', keys, 'mac-home', 900)).counts.account, 1, 'b reset its own count only');
    // A known address is known to its issuer's account only.
    await a.repos.loginAttempts.succeeded(keys, userA.id, 'mac-home', false);
    assert.equal((await a.repos.loginAttempts.reserve('ada@example.com', keys, 'mac-home', 900)).knownAddress, true);
    assert.deepEqual(await b.repos.loginAttempts.knownAddresses(userA.id), []);
    await b.repos.loginAttempts.succeeded(keys, userA.id, 'mac-b', true);
    assert.deepEqual(await a.repos.loginAttempts.knownAddresses(userA.id), ['mac-home']);
    assert.equal((await a.repos.loginAttempts.counts(keys, 900)).account, 4, "b's release gave back nothing of a's");
  });

  it('organizations, roles and members: ids are per issuer', async () => {
    await a.repos.organizations.create({ id: 'acme', name: 'Acme at A' });
    await a.repos.organizationRoles.set('acme', 'admin', ['write:all']);
    await a.transaction((r) => r.memberships.add('acme', userA.id, ['admin']));
    assert.equal(await b.repos.organizations.find('acme'), undefined);
    assert.equal(await b.repos.organizationRoles.find('acme', 'admin'), undefined);
    assert.equal(await b.repos.memberships.find('acme', userA.id), undefined);
    assert.deepEqual(await b.repos.memberships.claimsOf(userA.id), []);
    assert.equal(await b.repos.organizations.rename('acme', 'x'), false);
    assert.equal(await b.repos.organizations.setSuspended('acme', true), false);
    assert.equal(await b.repos.organizationRoles.delete('acme', 'admin'), undefined);
    assert.equal(await b.repos.memberships.remove('acme', userA.id), false);
    assert.equal(await b.repos.memberships.setRoles('acme', userA.id, []), undefined);
    assert.equal(await b.repos.organizations.delete('acme'), false);
    // The same id at B is an organization of its own.
    await b.repos.organizations.create({ id: 'acme', name: 'Acme at B' });
    assert.deepEqual(await b.repos.organizationRoles.list('acme'), []);
    assert.deepEqual(await b.repos.memberships.list('acme'), []);
    assert.deepEqual(
      (await b.repos.organizations.list()).map((o) => o.name),
      ['Acme at B'],
    );
    assert.deepEqual(await a.repos.memberships.claimsOf(userA.id), [{ id: 'acme', roles: ['admin'], permissions: ['write:all'] }]);
    // A deleted id is retired at its own issuer only.
    await a.repos.organizations.create({ id: 'gone', name: 'Gone' });
    assert.equal(await a.repos.organizations.delete('gone'), true);
    await assert.rejects(a.repos.organizations.create({ id: 'gone', name: 'Again' }), /deleted organization/);
    assert.equal((await b.repos.organizations.create({ id: 'gone', name: 'Fine at B' })).id, 'gone');
  });

  it('password resets and the mail outbox', async () => {
    const token = await a.repos.passwordResets.create(userA.id, 1800);
    assert.equal(await b.repos.passwordResets.findUserId(token), undefined);
    assert.equal(await b.repos.passwordResets.spend(token), undefined);
    assert.equal(await a.repos.passwordResets.spend(token), userA.id);
    await b.repos.mailOutbox.enqueue('password_reset', 'someone@example.com');
    const claimed = await new EventDeliveryRepository(ctx.services.store.db, ctx.clock).claim('mail', 60);
    assert.equal(claimed?.issuerId, 'beta', 'each mail says whose it is');
    assert.deepEqual((await b.repos.events.list({ type: 'mail.requested' })).length, 1);
    assert.deepEqual((await a.repos.events.list({ type: 'mail.requested' })).length, 0, "its event is in its issuer's log only");
  });

  it('signing keys and tokens', async () => {
    const keysA = (await a.keys.list()).map((k) => k.kid);
    const keysB = (await b.keys.list()).map((k) => k.kid);
    assert.equal(keysA.length, 3);
    assert.equal(keysB.length, 3);
    assert.ok(!keysA.some((kid) => keysB.includes(kid)));
    assert.equal(await b.keys.publicKey(keysA[0] as string), undefined);
    const token = await a.tokens.accessToken({ clientId: clientA.id, sub: userA.id, scope: 'openid', audience: a.url, grantId: null });
    await assert.rejects(b.tokens.verifyAccessToken(token.token), /invalid/);
    assert.equal((await a.tokens.verifyAccessToken(token.token)).iss, a.url);
    // Rotating B's keys leaves A's as they were.
    await b.keys.rotate('ES256');
    assert.deepEqual(
      (await a.keys.list()).map((k) => k.kid),
      keysA,
    );
  });

  it('admin roles, client pages and idempotency keys', async () => {
    await a.repos.adminRoles.set(userA.id, 'owner');
    assert.equal(await b.repos.adminRoles.find(userA.id), undefined);
    assert.deepEqual(await b.repos.adminRoles.list(), []);
    assert.equal(await b.repos.adminRoles.ownerCount(), 0);
    assert.equal(await b.repos.adminRoles.remove(userA.id), undefined);
    assert.equal(await a.repos.adminRoles.find(userA.id), 'owner');
    assert.ok(!(await b.repos.clients.page({ limit: 100 })).some((c) => c.id === clientA.id));
    assert.equal(await b.repos.clients.update(clientA.id, { name: 'Taken over' }), false);
    assert.equal(await a.repos.idempotencyKeys.reserve('user:x', 'same-key', 'f'), true);
    assert.equal(await b.repos.idempotencyKeys.find('user:x', 'same-key'), undefined);
    assert.equal(await b.repos.idempotencyKeys.reserve('user:x', 'same-key', 'f'), true, 'B’s key is its own');
    await b.repos.idempotencyKeys.complete('user:x', 'same-key', 201, 'b');
    assert.equal((await a.repos.idempotencyKeys.find('user:x', 'same-key'))?.status, 0);
  });
});

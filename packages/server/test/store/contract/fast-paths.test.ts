import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuthorizationRequest } from '../../../src/authorize/request.js';
import { ClientRepository } from '../../../src/store/repos/clients.js';
import { newCode } from '../../../src/store/repos/codes.js';
import { type GrantWithUser, newGrantId } from '../../../src/store/repos/grants.js';
import { newSession } from '../../../src/store/repos/sessions.js';
import { sha256 } from '../../../src/tokens/random.js';
import { TEST_REDIRECT_URI, type TestContext, createTestClient, createTestContext, createTestUser, randomSuccessor } from '../../helpers/harness.js';

// Each hand-written fast path (one statement on PostgreSQL, one transaction on SQLite) checked
// against the slow path it stands for, built from the repositories' plain methods: the same
// rows afterwards, and the same answer for every case the fast path refuses. On both backends.
const VERIFIER = 'v'.repeat(43);
const CHALLENGE = sha256(VERIFIER);

describe('fast paths against their slow paths', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  const db = () => ctx.services.store.db;
  /** A row without the columns a path draws at random (ids, secrets), for comparing two paths' rows. */
  const shape = <T extends Record<string, unknown>>(row: T | undefined, random: string[]): Partial<T> | undefined =>
    row && (Object.fromEntries(Object.entries(row).filter(([k]) => !random.includes(k))) as Partial<T>);

  describe('login commit (login-commit.ts)', () => {
    async function pending(): Promise<{ interactionId: string; clientId: string; userId: string }> {
      const { client } = await createTestClient(ctx);
      const user = await createTestUser(ctx);
      const request = { clientId: client.id, redirectUri: TEST_REDIRECT_URI } as AuthorizationRequest;
      const { interaction } = await ctx.scope.repos.interactions.create(request, 'login', 600, null, null);
      return { interactionId: interaction.id, clientId: client.id, userId: user.id };
    }
    const codeInput = (clientId: string, userId: string, sid: string) => ({
      clientId,
      userId,
      redirectUri: TEST_REDIRECT_URI,
      codeChallenge: CHALLENGE,
      scope: 'openid email',
      nonce: 'n',
      sid,
      authTime: ctx.clock(),
      resource: null,
    });
    const rows = async (sessionId: string, codeId: string) => ({
      session: await db().selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst(),
      code: await db().selectFrom('authorization_codes').selectAll().where('id', '=', codeId).executeTakeFirst(),
    });

    it('stores the same session and code as complete + sessions.create + codes.create', async () => {
      const fast = await pending();
      const s = newSession('default', fast.userId, 3600, ctx.clock());
      const c = newCode('default', codeInput(fast.clientId, fast.userId, s.session.sid), 60, ctx.clock());
      assert.equal(await ctx.scope.repos.interactions.completeWithLogin(fast.interactionId, s.row, c.row), true);
      const fastRows = await rows(s.row.id, c.row.id);
      assert.deepEqual(fastRows.session, s.row, 'the session row as planned');
      assert.deepEqual(fastRows.code, c.row, 'the code row as planned');

      const slow = await pending();
      const slowRows = await ctx.scope.transaction(async (r) => {
        assert.equal(await r.interactions.complete(slow.interactionId), true);
        const session = await r.sessions.create(slow.userId, 3600);
        const code = await r.codes.create(codeInput(slow.clientId, slow.userId, session.session.sid), 60);
        return { sessionId: session.row.id, codeId: sha256(code) };
      });
      const slowStored = await rows(slowRows.sessionId, slowRows.codeId);
      const ids = ['id', 'sid', 'user_id', 'client_id'];
      assert.deepEqual(shape(fastRows.session, ids), shape(slowStored.session, ids));
      assert.deepEqual(shape(fastRows.code, ids), shape(slowStored.code, ids));
      for (const p of [fast, slow]) assert.equal(await ctx.scope.repos.interactions.find(p.interactionId), undefined, 'both finished');
    });

    it("refuses, storing nothing, where complete() answers false: a finished or another issuer's interaction", async () => {
      const p = await pending();
      assert.equal(await ctx.scope.repos.interactions.complete(p.interactionId), true);
      const s = newSession('default', p.userId, 3600, ctx.clock());
      const c = newCode('default', codeInput(p.clientId, p.userId, s.session.sid), 60, ctx.clock());
      assert.equal(await ctx.scope.repos.interactions.complete(p.interactionId), false, 'the slow path refuses');
      assert.equal(await ctx.scope.repos.interactions.completeWithLogin(p.interactionId, s.row, c.row), false, 'so does the fast one');
      assert.deepEqual(await rows(s.row.id, c.row.id), { session: undefined, code: undefined });
    });
  });

  describe('code exchange (code-exchange.ts)', () => {
    async function liveCode(): Promise<{ code: string; clientId: string; userId: string }> {
      const { client } = await createTestClient(ctx);
      const user = await createTestUser(ctx);
      const code = await ctx.scope.repos.codes.create(
        {
          clientId: client.id,
          userId: user.id,
          redirectUri: TEST_REDIRECT_URI,
          codeChallenge: CHALLENGE,
          scope: 'openid email',
          nonce: 'n-1',
          sid: 'sid-1',
          authTime: ctx.clock() - 5,
          resource: 'https://api.example.com',
        },
        60,
      );
      return { code, clientId: client.id, userId: user.id };
    }
    const stored = async (code: string, grantId: string) => ({
      code: await db().selectFrom('authorization_codes').selectAll().where('id', '=', sha256(code)).executeTakeFirst(),
      grant: await db().selectFrom('grants').selectAll().where('id', '=', grantId).executeTakeFirst(),
      refresh: await db().selectFrom('refresh_tokens').selectAll().where('grant_id', '=', grantId).execute(),
    });

    /** What the token endpoint's slow path does with a code: consume, read the user, create the grant and its refresh token. */
    async function slowExchange(code: string, clientId: string, grantId: string, redirectUri: string, challenge: string): Promise<boolean> {
      return ctx.scope.transaction(async (r) => {
        const result = await r.codes.consume(code, clientId, grantId);
        if (result.status !== 'ok' || result.code.redirectUri !== redirectUri || result.code.codeChallenge !== challenge) return false;
        const user = await r.users.findById(result.code.userId);
        if (!user || user.disabled) return false;
        const { code: c } = result;
        const grant = await r.grants.create(
          { id: grantId, clientId, userId: user.id, scope: c.scope, sid: c.sid, authTime: c.authTime, resource: c.resource },
          3600,
        );
        await r.refreshTokens.create(grant.id, clientId, grant.expiresAt);
        return true;
      });
    }

    it('spends the code and stores the same grant and refresh token as the slow path', async () => {
      const fast = await liveCode();
      const fastGrant = newGrantId();
      const done = await ctx.scope.repos.codes.exchange(
        fast.code,
        { clientId: fast.clientId, redirectUri: TEST_REDIRECT_URI, challenge: CHALLENGE },
        { id: fastGrant, ttl: 3600 },
        true,
      );
      assert.ok(done);
      const slow = await liveCode();
      const slowGrant = newGrantId();
      assert.equal(await slowExchange(slow.code, slow.clientId, slowGrant, TEST_REDIRECT_URI, CHALLENGE), true);

      const [f, s] = [await stored(fast.code, fastGrant), await stored(slow.code, slowGrant)];
      const ids = ['id', 'user_id', 'client_id', 'grant_id', 'secret_hash'];
      assert.deepEqual(shape(f.code, ids), shape(s.code, ids), 'the code spent alike');
      assert.deepEqual(shape(f.grant, ids), shape(s.grant, ids), 'the grant alike');
      assert.equal(f.refresh.length, 1);
      assert.deepEqual(
        f.refresh.map((r) => shape(r, ids)),
        s.refresh.map((r) => shape(r, ids)),
        'one refresh token, alike',
      );
      assert.equal(f.code?.grant_id, fastGrant);
      assert.deepEqual(done.grant, await ctx.scope.repos.grants.findActive(fastGrant), 'what it returns is what it stored');
      assert.deepEqual(done.user, await ctx.scope.repos.users.findById(fast.userId));
    });

    it('refuses exactly what the slow path refuses, changing nothing', async () => {
      const cases: [string, (c: Awaited<ReturnType<typeof liveCode>>) => Promise<{ clientId: string; redirectUri: string; challenge: string }>][] = [
        ['other redirect URI', async (c) => ({ clientId: c.clientId, redirectUri: `${TEST_REDIRECT_URI}/x`, challenge: CHALLENGE })],
        ['other challenge', async (c) => ({ clientId: c.clientId, redirectUri: TEST_REDIRECT_URI, challenge: sha256('w'.repeat(43)) })],
        ['other client', async () => ({ clientId: (await createTestClient(ctx)).client.id, redirectUri: TEST_REDIRECT_URI, challenge: CHALLENGE })],
        [
          'disabled user',
          async (c) => (
            await ctx.scope.repos.users.setDisabled(c.userId, true), { clientId: c.clientId, redirectUri: TEST_REDIRECT_URI, challenge: CHALLENGE }
          ),
        ],
        [
          'spent code',
          async (c) => (
            await ctx.scope.repos.codes.spendAllForUser(c.userId, c.clientId), { clientId: c.clientId, redirectUri: TEST_REDIRECT_URI, challenge: CHALLENGE }
          ),
        ],
      ];
      for (const [name, arrange] of cases) {
        const c = await liveCode();
        const presented = await arrange(c);
        const before = await stored(c.code, 'none');
        const grantId = newGrantId();
        assert.equal(await ctx.scope.repos.codes.exchange(c.code, presented, { id: grantId, ttl: 3600 }, true), undefined, name);
        assert.deepEqual(await stored(c.code, grantId), { ...before }, `${name}: the fast path changed nothing`);
        assert.equal(
          await slowExchange(c.code, presented.clientId, newGrantId(), presented.redirectUri, presented.challenge),
          false,
          `${name}: the slow path refuses it too`,
        );
      }
    });
  });

  describe('refresh rotation (refresh-rotation.ts, and the PostgreSQL batch of refresh-rotation-batch.ts)', () => {
    async function liveToken(scope = 'openid email'): Promise<{ token: string; clientId: string; userId: string; grantId: string }> {
      const { client } = await createTestClient(ctx);
      const user = await createTestUser(ctx);
      const grant = await ctx.scope.repos.grants.create({ clientId: client.id, userId: user.id, scope, sid: null, authTime: null, resource: null }, 3600);
      const token = await ctx.scope.repos.refreshTokens.create(grant.id, client.id, grant.expiresAt);
      return { token, clientId: client.id, userId: user.id, grantId: grant.id };
    }

    /** The slow path's decision: the token is live for this client, its grant live, its user enabled, the scope inside the grant. */
    async function slowDecision(token: string, clientId: string, asked: string[] | null): Promise<GrantWithUser | undefined> {
      const found = await ctx.scope.repos.refreshTokens.find(token);
      if (!found || found.consumed || found.clientId !== clientId || found.expiresAt <= ctx.clock()) return undefined;
      const live = await ctx.scope.repos.grants.findActiveWithUser(found.grantId);
      if (!live || live.user.disabled) return undefined;
      if (asked && !asked.every((s) => live.grant.scope.split(' ').includes(s))) return undefined;
      return live;
    }

    it('answers every case as the slow path decides it, alone and batched together', async () => {
      const cases: [string, (t: Awaited<ReturnType<typeof liveToken>>) => Promise<{ clientId: string; asked: string[] | null }>][] = [
        ['live', async (t) => ({ clientId: t.clientId, asked: null })],
        ['narrower scope', async (t) => ({ clientId: t.clientId, asked: ['email'] })],
        ['wider scope', async (t) => ({ clientId: t.clientId, asked: ['openid', 'payments'] })],
        ['other client', async () => ({ clientId: (await createTestClient(ctx)).client.id, asked: null })],
        ['revoked grant', async (t) => (await ctx.scope.repos.grants.revoke(t.grantId, 'revoked_by_client'), { clientId: t.clientId, asked: null })],
        ['disabled user', async (t) => (await ctx.scope.repos.users.setDisabled(t.userId, true), { clientId: t.clientId, asked: null })],
        ['spent token', async (t) => (await ctx.scope.repos.refreshTokens.consume(t.token, t.clientId), { clientId: t.clientId, asked: null })],
      ];
      for (const together of [false, true]) {
        const arranged: { name: string; t: Awaited<ReturnType<typeof liveToken>>; clientId: string; asked: string[] | null }[] = [];
        for (const [name, arrange] of cases) {
          const t = await liveToken();
          arranged.push({ name, t, ...(await arrange(t)) });
        }
        const expected = await Promise.all(arranged.map((a) => slowDecision(a.t.token, a.clientId, a.asked)));
        // Together: started at once, so on PostgreSQL they share the batcher's statements.
        const rotate = (a: (typeof arranged)[number]) => ctx.scope.repos.refreshTokens.rotate(a.t.token, a.clientId, a.asked, randomSuccessor);
        const results = together
          ? await Promise.all(arranged.map(rotate))
          : await arranged.reduce<Promise<Awaited<ReturnType<typeof rotate>>[]>>(async (acc, a) => [...(await acc), await rotate(a)], Promise.resolve([]));
        arranged.forEach((a, i) => {
          const result = results[i];
          const label = `${a.name}${together ? ', batched' : ''}`;
          assert.deepEqual(result && { grant: result.grant, user: result.user }, expected[i], label);
        });
        for (const [i, a] of arranged.entries()) {
          const result = results[i];
          if (!result) continue;
          // A rotation spends the presented token and its successor is the chain's live one.
          assert.equal((await ctx.scope.repos.refreshTokens.find(a.t.token))?.consumed, true, a.name);
          assert.equal((await ctx.scope.repos.refreshTokens.find(result.refreshToken))?.consumed, false, a.name);
        }
      }
    });
  });

  describe('login lookup (login-lookup.ts)', () => {
    it('counts and reads what the rate limits, users, known addresses and interactions answer one by one', async () => {
      const user = await createTestUser(ctx);
      const { client } = await createTestClient(ctx);
      const { interaction } = await ctx.scope.repos.interactions.create(
        { clientId: client.id, redirectUri: TEST_REDIRECT_URI } as AuthorizationRequest,
        'login',
        600,
        null,
        null,
      );
      const keys = { account: `acct-${user.id}`, address: `addr-${user.id}`, pair: `pair-${user.id}` };
      await ctx.scope.repos.loginAttempts.succeeded(keys, user.id, 'mac-known', false);
      for (const [email, mac, withInteraction] of [
        [user.email.toUpperCase(), 'mac-known', true],
        [user.email, 'mac-new', false],
        ['nobody@example.com', 'mac-known', true],
      ] as const) {
        const before = await ctx.scope.repos.loginAttempts.counts(keys, 900);
        const found = await ctx.scope.repos.loginAttempts.reserve(
          email,
          keys,
          mac,
          900,
          withInteraction ? { id: interaction.id, now: ctx.clock() } : undefined,
        );
        const slowUser = await ctx.scope.repos.users.findByEmail(email);
        assert.deepEqual(found.user, slowUser, email);
        assert.equal(found.knownAddress, slowUser ? (await ctx.scope.repos.loginAttempts.knownAddresses(slowUser.id)).includes(mac) : false, `${email} ${mac}`);
        assert.deepEqual(found.counts, { account: before.account + 1, address: before.address + 1, pair: before.pair + 1 });
        assert.deepEqual(found.counts, await ctx.scope.repos.loginAttempts.counts(keys, 900), 'the counts it returns are the ones stored');
        if (withInteraction) assert.deepEqual(found.interaction, await ctx.scope.repos.interactions.find(interaction.id));
        else assert.equal('interaction' in found, false);
      }
      await ctx.scope.repos.interactions.complete(interaction.id);
      const closed = await ctx.scope.repos.loginAttempts.reserve(user.email, keys, 'mac-known', 900, { id: interaction.id, now: ctx.clock() });
      assert.equal(closed.interaction, null, 'a finished interaction reads as none, as find() has it');
    });
  });

  describe('the client cache (client-cache.ts on PostgreSQL, sqlite-client-cache.ts on SQLite)', () => {
    it('answers what an uncached repository reads, after every change this process makes', async () => {
      const uncached = new ClientRepository(db(), ctx.clock, 'default');
      const cached = ctx.scope.repos.clients;
      const { client } = await createTestClient(ctx, { name: 'Cached' });
      const same = async (label: string): Promise<void> => {
        // Twice: the first read may fill the cache, the second is served from it.
        for (let i = 0; i < 2; i++) assert.deepEqual(await cached.find(client.id), await uncached.find(client.id), label);
      };
      await same('created');
      assert.equal(await cached.update(client.id, { name: 'Renamed', scopes: ['openid'], refreshReuseGrace: 5 }), true);
      await same('updated');
      assert.ok(await cached.rotateSecret(client.id));
      await same('re-keyed');
      assert.equal(await cached.delete(client.id), true);
      await same('deleted');
      assert.equal(await cached.find(client.id), undefined);
    });
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { type JSONWebKeySet, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { main } from '../../src/cli/main.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { TEST_PASSWORD, TEST_REDIRECT_URI, TEST_SECRET, type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { ISSUER, authorizeUrl } from '../helpers/flow.js';
import { type GatehouseProcess, startGatehouse } from '../helpers/process.js';
import { RemoteClient } from '../helpers/remote-client.js';
import { WAIT_GUARD_MS, until } from '../helpers/wait.js';

/** The address a load balancer would own (its origin); requests to it are spread over the instances. */
const BALANCER = new URL(ISSUER).origin;
const PUBLISH_LEAD = 4;

// Three `gatehouse serve` processes on one database (PostgreSQL when TEST_DATABASE_URL is set,
// else one SQLite file): any request may reach any instance.
describe('three instances on one database', () => {
  let ctx: TestContext;
  let instances: GatehouseProcess[] = [];
  let client: RemoteClient;
  let clientId: string;
  let email: string;
  let next = 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-cluster-'));
  const env = (): Record<string, string> => ({
    GATEHOUSE_ISSUER: ISSUER,
    GATEHOUSE_DATABASE_URL: ctx.databaseUrl,
    GATEHOUSE_SECRET: TEST_SECRET,
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_KEY_PUBLISH_LEAD: String(PUBLISH_LEAD),
    GATEHOUSE_LOGIN_MAX_FAILURES: '3',
    // Longer than the test: a client cached here leaves the cache on its change notice only.
    GATEHOUSE_CLIENT_CACHE_MAX_AGE: '3600',
  });
  /** Instance i's default issuer (under the test prefix, if one is set). */
  const at = (i: number): string => (instances[i % 3] as GatehouseProcess).base;
  /** Round-robin "load balancer": every request to its origin goes to the next instance, path as it is. */
  const balanced = (input: string, init?: RequestInit): Promise<Response> =>
    fetch(input.startsWith(`${BALANCER}/`) ? `${(instances[next++ % 3] as GatehouseProcess).url}${input.slice(BALANCER.length)}` : input, init);

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_ISSUER: ISSUER });
    const created = await createTestClient(ctx);
    clientId = created.client.id;
    client = new RemoteClient(clientId, created.secret as string);
    email = (await createTestUser(ctx)).email;
    instances = await Promise.all([startGatehouse(env()), startGatehouse(env()), startGatehouse(env())]);
  });
  after(async () => {
    await Promise.all(instances.map((p) => p.stop()));
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(browser: HttpBrowser): Promise<{ code: string; verifier: string }> {
    const request = authorizeUrl(clientId);
    let step = await browser.navigate(request.url, ISSUER);
    assert.ok(step.page, 'login page');
    step = await browser.submit(step.page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    if (step.page) step = await browser.submit(step.page, '/consent', { decision: 'approve', scope: ['openid', 'profile', 'email'] }, ISSUER);
    assert.ok(step.leftTo, `back at the client: ${step.page?.html.slice(0, 200)}`);
    const code = new URL(step.leftTo).searchParams.get('code');
    assert.ok(code);
    return { code, verifier: request.verifier };
  }

  it('logs in across instances, exchanges on B, refreshes on C, introspects on A; revocation is seen everywhere at once', async () => {
    const browser = new HttpBrowser(balanced);
    const { code, verifier } = await signIn(browser);
    const exchanged = await client.token(at(1), { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier });
    assert.equal(exchanged.status, 200);
    const first = (await exchanged.json()) as { refresh_token: string; access_token: string };
    const refreshed = await client.refresh(at(2), first.refresh_token);
    assert.equal(refreshed.status, 200);
    const tokens = (await refreshed.json()) as { refresh_token: string; access_token: string };
    const active = await client.post(at(0), '/oauth/introspect', { token: tokens.access_token });
    assert.equal(((await active.json()) as { active: boolean }).active, true);

    assert.equal((await client.post(at(1), '/oauth/revoke', { token: tokens.refresh_token })).status, 200);
    for (let i = 0; i < 3; i++) {
      const res = await client.post(at(i), '/oauth/introspect', { token: tokens.access_token });
      assert.deepEqual(await res.json(), { active: false }, `instance ${i} sees the revocation`);
      const info = await fetch(`${at(i)}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(info.status, 401);
      assert.equal((await client.refresh(at(i), tokens.refresh_token)).status, 400);
    }
  });

  it('counts failed logins across instances', async () => {
    const browser = new HttpBrowser(balanced);
    const { url } = authorizeUrl(clientId);
    const step = await browser.navigate(url, ISSUER);
    assert.ok(step.page);
    for (let i = 0; i < 3; i++) {
      const wrong = await browser.submit(step.page, '/login', { email, password: 'wrong password' }, ISSUER);
      assert.equal(wrong.page?.status, 401, `failure ${i + 1}`);
    }
    const blocked = await browser.submit(step.page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    assert.equal(blocked.page?.status, 429, 'the fourth attempt, on another instance, is throttled');
    await ctx.scope.repos.rateLimits.reset(`login:acct:${email}`);
  });

  it('keeps verifying tokens for a relying party that honours the JWKS cache headers throughout a key rotation', async () => {
    let jwks: { set: ReturnType<typeof createLocalJWKSet>; fetchedAt: number; maxAge: number } | undefined;
    const keys = async (): Promise<ReturnType<typeof createLocalJWKSet>> => {
      if (!jwks || Date.now() - jwks.fetchedAt >= jwks.maxAge * 1000) {
        const res = await fetch(`${at(next++)}/.well-known/jwks.json`);
        const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1] ?? 0);
        jwks = { set: createLocalJWKSet((await res.json()) as JSONWebKeySet), fetchedAt: Date.now(), maxAge };
      }
      return jwks.set;
    };
    const kids = new Set<string>();
    const verifyOne = async (instance: number): Promise<string> => {
      const res = await client.token(at(instance), { grant_type: 'client_credentials', scope: 'payments' });
      assert.equal(res.status, 200);
      const { access_token } = (await res.json()) as { access_token: string };
      const kid = decodeProtectedHeader(access_token).kid as string;
      kids.add(kid);
      await jwtVerify(access_token, await keys(), { issuer: ISSUER, typ: 'at+jwt' });
      return kid;
    };

    const oldKid = await verifyOne(0);
    const out: string[] = [];
    const code = await main(['keys', 'rotate', '--alg', 'ES256', '--json'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      stdin: Readable.from([]),
      env: { ...env() },
    });
    assert.equal(code, 0, out.join('\n'));
    // Round the instances until each signs with the new key, however long past the publish lead
    // a loaded machine takes; every token on the way must verify with the cached key set.
    const switched = new Set<number>();
    const guard = Date.now() + PUBLISH_LEAD * 1000 + WAIT_GUARD_MS;
    for (let i = 0; switched.size < 3; i++) {
      if (Date.now() > guard) assert.fail(`instances ${[...switched].join(', ') || 'none'} of 0, 1, 2 sign with the new key`);
      if ((await verifyOne(i % 3)) !== oldKid) switched.add(i % 3);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(kids.size, 2, 'tokens were signed with the old key, then the new one');
  });

  // Instances cache clients on PostgreSQL and drop them when the change is announced (NOTIFY at
  // commit): the others refuse the client as soon as they hear of it. Entries live an hour here
  // (GATEHOUSE_CLIENT_CACHE_MAX_AGE), so only the notice can end them within the test.
  it('refuses a deleted client on every instance once the deletion is announced', async () => {
    const created = await createTestClient(ctx);
    const doomed = new RemoteClient(created.client.id, created.secret as string);
    for (let i = 0; i < 3; i++) assert.equal((await doomed.token(at(i), { grant_type: 'client_credentials' })).status, 200, `instance ${i} knows it`);
    await ctx.scope.repos.clients.delete(created.client.id);
    for (let i = 0; i < 3; i++) {
      await until(async () => (await doomed.token(at(i), { grant_type: 'client_credentials' })).status === 401, `instance ${i} refuses the deleted client`);
    }
  });
});

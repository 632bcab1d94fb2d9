import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ClientCache } from '../../src/store/client-cache.js';
import { listenForClientChanges } from '../../src/store/client-notifications.js';
import { type Client, NO_LINKS } from '../../src/store/repos/clients.js';
import { type TestContext, basicAuth, createTestClient, createTestContext } from '../helpers/harness.js';
import { until } from '../helpers/wait.js';
import { at } from '../helpers/prefix.js';

const client = (id: string, name = 'A'): Client => ({
  id,
  issuerId: 'default',
  appType: 'machine',
  name,
  updatedAt: 0,
  revision: 1,
  previousSecret: null,
  links: NO_LINKS,
  backchannelLogoutUri: null,
  backchannelLogoutSessionRequired: false,
  description: '',
  redirectUris: [],
  postLogoutRedirectUris: [],
  grantTypes: ['client_credentials'],
  scopes: [],
  resources: [],
  isPublic: false,
  firstParty: false,
  idTokenAlg: 'RS256',
  pkce: 'required',
  refreshReuseGrace: 0,
  idTokenClaims: false,
  requireMfa: false,
  secretHash: 'h',
  createdAt: 0,
});

describe('client cache', () => {
  it('answers only while live, and starts empty each time it goes live or down', () => {
    const cache = new ClientCache();
    cache.put('a', client('a'), cache.ticket());
    assert.equal(cache.get('a'), undefined, 'nothing is kept before the channel listens');
    cache.setLive(true);
    cache.put('a', client('a'), cache.ticket());
    assert.equal(cache.get('a')?.id, 'a');
    cache.setLive(false);
    assert.equal(cache.get('a'), undefined);
    cache.setLive(true);
    assert.equal(cache.get('a'), undefined, 'what was cached before going down is gone');
  });

  it('does not keep a read that raced a change, nor an entry past its age', () => {
    let now = 0;
    const cache = new ClientCache({ now: () => now, maxAgeMs: 1000 });
    cache.setLive(true);
    const ticket = cache.ticket();
    cache.forget('a'); // a change to 'a' is announced while its read is in flight
    cache.forget('b');
    cache.put('a', client('a'), ticket);
    assert.equal(cache.get('a'), undefined);
    const before = cache.ticket();
    cache.forget('b'); // a change to another client does not spoil this read
    cache.put('a', client('a'), before);
    assert.equal(cache.get('a')?.id, 'a');
    const all = cache.ticket();
    cache.forgetAll();
    cache.setLive(true);
    cache.put('c', client('c'), all);
    assert.equal(cache.get('c'), undefined, 'nor a read that raced a TRUNCATE');
    cache.put('a', client('a'), cache.ticket());
    now = 1001;
    assert.equal(cache.get('a'), undefined);
  });

  it('stays off while PostgreSQL cannot be reached, and says so once, not on every retry', async () => {
    // A "database" that hangs up on every connection, counting them: the test waits for the
    // retries themselves, however long a loaded machine takes to make them.
    let attempts = 0;
    const refusing = net.createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as net.AddressInfo;
    const cache = new ClientCache();
    const events: string[] = [];
    const listener = listenForClientChanges(`postgres://gatehouse@127.0.0.1:${port}/nothing`, cache, {
      logger: { log: (_level, event) => events.push(event) },
      retryMs: 10,
    });
    try {
      await until(() => attempts >= 3, 'the listener has tried three times');
    } finally {
      await listener.close();
      await new Promise((resolve) => refusing.close(resolve));
    }
    assert.equal(cache.live, false);
    assert.equal(listener.pid, undefined);
    assert.deepEqual(events, ['client_cache_off']);
  });

  it('hands out frozen clients', () => {
    const cache = new ClientCache();
    cache.setLive(true);
    cache.put('a', client('a'), cache.ticket());
    const hit = cache.get('a');
    assert.ok(hit && Object.isFrozen(hit) && Object.isFrozen(hit.grantTypes));
  });
});

// Writes from other connections (another instance, the CLI) reach the server by NOTIFY.
describe('client cache on PostgreSQL', { skip: !process.env.TEST_DATABASE_URL && 'PostgreSQL only (TEST_DATABASE_URL)' }, () => {
  let ctx: TestContext;
  let other: pg.Client;
  before(async () => {
    ctx = await createTestContext();
    other = new pg.Client({ connectionString: ctx.databaseUrl });
    await other.connect();
    await until(() => ctx.services.clientNotifications?.pid !== undefined, 'the cache listens');
  });
  after(async () => {
    await other.end();
    await ctx.close();
  });

  /** An update that sends no notification: what the cache would miss if it were not listening. */
  async function silentRename(id: string, name: string): Promise<void> {
    await other.query('BEGIN');
    await other.query('SET LOCAL session_replication_role = replica');
    await other.query('UPDATE clients SET name = $1 WHERE id = $2', [name, id]);
    await other.query('COMMIT');
  }

  const nameOf = async (id: string): Promise<string | undefined> => (await ctx.scope.repos.clients.find(id))?.name;

  it('serves a client from memory until a change is announced', async () => {
    const { client: c } = await createTestClient(ctx, { name: 'Before' });
    // The insert's own notification arrives some moments later and drops the entry once; then a
    // read is kept, and a change nobody announces stays unseen.
    let n = 0;
    await until(async () => {
      const first = await nameOf(c.id);
      await silentRename(c.id, `Silent ${++n}`);
      return (await nameOf(c.id)) === first;
    }, 'a read is served from memory');
    await other.query('UPDATE clients SET name = $1 WHERE id = $2', ['After', c.id]);
    await until(async () => (await nameOf(c.id)) === 'After', 'the update is seen');
  });

  it('stops authenticating a client deleted or re-keyed through another connection', async () => {
    const { client: c, secret } = await createTestClient(ctx, { grantTypes: ['client_credentials'], scopes: ['payments'] });
    const cc = async (auth: string): Promise<Response> =>
      ctx.app.request(at('/oauth/token'), {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
    assert.equal((await cc(basicAuth(c.id, secret!))).status, 200);
    await other.query("UPDATE clients SET secret_hash = 'rotated' WHERE id = $1", [c.id]);
    await until(async () => (await cc(basicAuth(c.id, secret!))).status === 401, 'the old secret is refused');

    const { client: d, secret: dSecret } = await createTestClient(ctx, { grantTypes: ['client_credentials'], scopes: ['payments'] });
    assert.equal((await cc(basicAuth(d.id, dSecret!))).status, 200);
    await other.query('DELETE FROM clients WHERE id = $1', [d.id]);
    await until(async () => (await ctx.scope.repos.clients.find(d.id)) === undefined, 'the deleted client is gone');
    assert.equal((await cc(basicAuth(d.id, dSecret!))).status, 401);
  });

  it('reads from the database while its listening connection is down, and listens again', async () => {
    const { client: c } = await createTestClient(ctx, { name: 'Cached' });
    assert.equal(await nameOf(c.id), 'Cached');
    // The read must happen while nothing listens; should the retry (a second later) have listened
    // again before it on a slow machine, the read proved nothing, and the connection is cut again.
    let down: boolean;
    do {
      const pid = ctx.services.clientNotifications?.pid;
      await other.query('SELECT pg_terminate_backend($1)', [pid]);
      await until(() => ctx.services.clientNotifications?.pid !== pid, 'the cache notices');
      await silentRename(c.id, 'Fresh');
      assert.equal(await nameOf(c.id), 'Fresh', 'no answer from memory while nothing is heard');
      down = ctx.services.clientNotifications?.pid === undefined;
    } while (!down);
    await until(() => ctx.services.clientNotifications?.pid !== undefined, 'it listens again');
    await silentRename(c.id, 'Fresher');
    assert.equal(await nameOf(c.id), 'Fresher', 'what was cached before is gone');
  });

  it('forgets every client on a TRUNCATE', async () => {
    const { client: c } = await createTestClient(ctx);
    assert.ok(await ctx.scope.repos.clients.find(c.id));
    await other.query('TRUNCATE clients CASCADE');
    await until(async () => (await ctx.scope.repos.clients.find(c.id)) === undefined, 'the client is gone');
  });
});

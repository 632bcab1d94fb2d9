import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type TestContext, basicAuth, createTestClient, createTestContext } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

// On SQLite the server keeps clients in memory and asks the file's data_version before each use:
// a commit from another connection (the CLI is another process) empties the cache at once.
describe('client cache on SQLite', { skip: !!process.env.TEST_DATABASE_URL && 'SQLite only' }, () => {
  let ctx: TestContext;
  /** Another connection to the same file, as the CLI has. */
  let other: Database.Database;
  before(async () => {
    ctx = await createTestContext();
    const file = ctx.databaseUrl.slice('sqlite:'.length);
    other = new Database(file);
    other.pragma('busy_timeout = 5000');
  });
  after(async () => {
    other.close();
    await ctx.close();
  });

  const nameOf = async (id: string): Promise<string | undefined> => (await ctx.scope.repos.clients.find(id))?.name;
  const cc = (auth: string): Promise<Response> =>
    Promise.resolve(
      ctx.app.request(at('/oauth/token'), {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }),
    );

  it('serves a client from memory, and reads it again after another connection commits', async () => {
    const { client: c } = await createTestClient(ctx, { name: 'Before' });
    assert.equal(await nameOf(c.id), 'Before');
    // Through the server's own store the write is not counted by data_version: the cached copy
    // stays, which shows the read is served from memory.
    await ctx.services.store.db.updateTable('clients').set({ name: 'Unseen' }).where('id', '=', c.id).execute();
    assert.equal(await nameOf(c.id), 'Before');
    other.prepare('UPDATE clients SET name = ? WHERE id = ?').run('After', c.id);
    assert.equal(await nameOf(c.id), 'After');
  });

  it('any commit by another connection, to any table, empties it', async () => {
    const { client: c } = await createTestClient(ctx, { name: 'Kept' });
    assert.equal(await nameOf(c.id), 'Kept');
    await ctx.services.store.db.updateTable('clients').set({ name: 'Changed' }).where('id', '=', c.id).execute();
    other.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES ('cache-test', 0, 1)").run();
    assert.equal(await nameOf(c.id), 'Changed');
  });

  it('stops authenticating a client the CLI deleted or re-keyed', async () => {
    const { client: c, secret } = await createTestClient(ctx, { grantTypes: ['client_credentials'], scopes: ['payments'] });
    assert.equal((await cc(basicAuth(c.id, secret!))).status, 200);
    other.prepare("UPDATE clients SET secret_hash = 'rotated' WHERE id = ?").run(c.id);
    assert.equal((await cc(basicAuth(c.id, secret!))).status, 401);

    const { client: d, secret: dSecret } = await createTestClient(ctx, { grantTypes: ['client_credentials'], scopes: ['payments'] });
    assert.equal((await cc(basicAuth(d.id, dSecret!))).status, 200);
    other.prepare('DELETE FROM clients WHERE id = ?').run(d.id);
    assert.equal((await cc(basicAuth(d.id, dSecret!))).status, 401);
  });

  it('forgets what this process deletes or re-keys itself', async () => {
    const { client: c, secret } = await createTestClient(ctx, { grantTypes: ['client_credentials'], scopes: ['payments'] });
    assert.equal((await cc(basicAuth(c.id, secret!))).status, 200);
    const rotated = (await ctx.scope.repos.clients.rotateSecret(c.id))?.secret;
    assert.equal((await cc(basicAuth(c.id, secret!))).status, 401);
    assert.equal((await cc(basicAuth(c.id, rotated!))).status, 200);
    await ctx.scope.repos.clients.delete(c.id);
    assert.equal((await cc(basicAuth(c.id, rotated!))).status, 401);
  });
});

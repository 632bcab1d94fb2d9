import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { WalSync } from '../../src/store/wal-sync.js';
import { signInForTokens, tokenRequest } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { stillPending, until, within } from '../helpers/wait.js';

/** A sync function the test opens and closes by hand, counting how often it ran. */
function gatedSync(): { sync: (fd: number) => Promise<void>; calls: () => number; open(): void; close(): void; fail(error: Error | undefined): void } {
  let calls = 0;
  let gate: Promise<void> = Promise.resolve();
  let release = (): void => {};
  let failure: Error | undefined;
  return {
    sync: async () => {
      calls++;
      await gate;
      if (failure) throw failure;
    },
    calls: () => calls,
    open: () => release(),
    close: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    fail: (error) => {
      failure = error;
    },
  };
}

describe('WalSync: one fsync covers every commit made before it started', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-wal-'));
  const file = path.join(dir, 'x.db');
  fs.writeFileSync(`${file}-wal`, '');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs one sync for all callers that arrive while one is running', async () => {
    const gate = gatedSync();
    const wal = new WalSync(file, gate.sync);
    gate.close();
    const first = wal.barrier();
    const later = [wal.barrier(), wal.barrier(), wal.barrier()];
    assert.equal(gate.calls(), 1);
    assert.equal(await stillPending(first), true, 'nobody passes before the disk has answered');
    gate.open();
    await first;
    await Promise.all(later);
    assert.equal(gate.calls(), 2, 'the three that came during the first sync share the second');
    wal.close();
  });

  it('fails the waiting callers when fsync fails, and syncs again for the next ones', async () => {
    const gate = gatedSync();
    const wal = new WalSync(file, gate.sync);
    gate.fail(new Error('EIO'));
    await assert.rejects(wal.barrier(), /EIO/);
    gate.fail(undefined);
    await wal.barrier();
    assert.equal(gate.calls(), 2);
    wal.close();
  });

  it('fsyncs the real WAL file by default', async () => {
    const wal = new WalSync(file);
    await wal.barrier();
    wal.close();
  });
});

describe('SQLite writes wait for the WAL fsync; reads do not', { skip: process.env.TEST_DATABASE_URL ? 'SQLite only' : false }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-wal-store-'));
  const gate = gatedSync();
  let store: Store;
  before(async () => {
    store = openStore(`sqlite:${path.join(dir, 'g.db')}`, { syncWal: gate.sync });
    await migrate(store.db);
  });
  after(async () => {
    gate.open();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds a write until the fsync, while a read goes through and the database stays usable', async () => {
    gate.close();
    const before = gate.calls();
    const write = sql`insert into access_token_revocations (jti, expires_at, revoked_at) values ('k', 1, 0)`.execute(store.db);
    // Committed and at the fsync, however long that took: from here only the gate lets it on.
    await until(() => gate.calls() > before, 'the write has committed and waits for the fsync');
    assert.equal(await stillPending(write), true);
    await within(store.db.selectFrom('clients').select('id').execute(), 'a read while the fsync is held (a read does not wait for it)');
    gate.open();
    await write;
  });

  it('syncs once per transaction, after its commit, not once per statement', async () => {
    const before = gate.calls();
    await store.db.transaction().execute(async (tx) => {
      await sql`insert into access_token_revocations (jti, expires_at, revoked_at) values ('a', 1, 0)`.execute(tx);
      await sql`insert into access_token_revocations (jti, expires_at, revoked_at) values ('b', 1, 0)`.execute(tx);
      assert.equal(gate.calls(), before, 'nothing is synced before the commit');
    });
    assert.equal(gate.calls(), before + 1);
  });

  it('does not sync for reads', async () => {
    const before = gate.calls();
    await store.db.selectFrom('access_token_revocations').selectAll().execute();
    assert.equal(gate.calls(), before);
  });
});

describe('a token response waits until its refresh token is on disk', { skip: process.env.TEST_DATABASE_URL ? 'SQLite only' : false }, () => {
  const gate = gatedSync();
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({}, { store: { syncWal: gate.sync } });
  });
  after(async () => {
    gate.open();
    await ctx.close();
  });

  it('answers a refresh only after the fsync of its rotation', async () => {
    const { client, secret } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const { tokens } = await signInForTokens(ctx, { id: client.id, secret }, user.email, { scope: 'openid' });
    gate.close();
    const before = gate.calls();
    const response = tokenRequest(ctx, client.id, secret, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    await until(() => gate.calls() > before, 'the rotation has committed and waits for the fsync');
    assert.equal(await stillPending(response), true, 'no answer while the new refresh token is only in the page cache');
    gate.open();
    assert.equal((await response).status, 200);
  });
});

describe('a sign-in commits once per step', { skip: process.env.TEST_DATABASE_URL ? 'SQLite only' : false }, () => {
  let syncs = 0;
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({}, { store: { syncWal: async () => void syncs++ } });
  });
  after(() => ctx.close());

  it('syncs once for the authorize request, once for the login POST, once for the code exchange', async () => {
    const { client, secret } = await createTestClient(ctx, { firstParty: true });
    const user = await createTestUser(ctx);
    syncs = 0;
    // In-process and one request at a time, so no two commits share an fsync: one sync is one
    // commit. The login POST writes a session, completes the interaction and stores the code.
    await signInForTokens(ctx, { id: client.id, secret }, user.email, { scope: 'openid' });
    assert.equal(syncs, 3);
  });
});

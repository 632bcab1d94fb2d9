import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, TEST_SECRET, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { type GatehouseProcess, startGatehouse } from '../helpers/process.js';
import { RemoteClient } from '../helpers/remote-client.js';
import { within } from '../helpers/wait.js';

interface Chain {
  code: string;
  /** The newest refresh token the server acknowledged (answered 200 with). */
  current: string;
  /** Tokens that were used successfully: they must never work again. */
  spent: string[];
  /** A refresh was on the wire when the server died: its outcome is unknown to the client. */
  inFlight: boolean;
}

// "Nothing acknowledged is ever lost": a token the server answered with survives a crash, and
// nothing the server consumed comes back.
describe('kill -9 under load', () => {
  let ctx: TestContext;
  let server: GatehouseProcess | undefined;
  let client: RemoteClient;
  let userId: string;
  const env = (): Record<string, string> => ({ GATEHOUSE_DATABASE_URL: ctx.databaseUrl, GATEHOUSE_SECRET: TEST_SECRET });

  before(async () => {
    ctx = await createTestContext();
    const { client: c, secret } = await createTestClient(ctx);
    client = new RemoteClient(c.id, secret as string);
    userId = (await createTestUser(ctx)).id;
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await ctx.close();
  });

  it('keeps every acknowledged refresh token usable exactly once, and nothing consumed comes back', async () => {
    server = await startGatehouse(env());
    const base = server.base;
    const chains: Chain[] = [];
    for (let i = 0; i < 16; i++) {
      const { code, tokens } = await client.signIn(ctx, base, userId);
      chains.push({ code, current: tokens.refresh_token as string, spent: [], inFlight: false });
    }

    // The kill comes once the load has refreshed KILL_AFTER times, however long a loaded machine
    // takes for that, and right as a chain is handed its new token: that chain, at least, holds an
    // acknowledged token at the kill.
    const KILL_AFTER = 48;
    let refreshed = 0;
    let dead = false;
    const victim = server;
    let killed!: () => void;
    const kill = new Promise<void>((resolve) => (killed = resolve));
    const load = chains.map(async (chain) => {
      while (!dead) {
        chain.inFlight = true;
        let res: Response;
        try {
          res = await client.refresh(base, chain.current);
        } catch {
          return; // The server died with this request on the wire: inFlight stays true.
        }
        const body = (await res.json().catch(() => ({}))) as { refresh_token?: string };
        // Cut off mid-answer by the kill: the outcome is unknown, inFlight stays true.
        if (dead && typeof body.refresh_token !== 'string') return;
        assert.equal(res.status, 200, 'refresh under load');
        chain.spent.push(chain.current);
        chain.current = body.refresh_token as string;
        chain.inFlight = false;
        if (++refreshed === KILL_AFTER) {
          victim.child.kill('SIGKILL');
          dead = true;
          killed();
          return;
        }
        // Think time, like real clients: at the kill most chains hold an acknowledged token.
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      }
    });
    // A chain that fails its assertion ends the wait too, with its own message.
    await within(Promise.race([kill, Promise.all(load)]), `${KILL_AFTER} refreshes under load`);
    assert.ok(dead, `the load stopped after ${refreshed} refreshes, before the kill`);
    await server.exited;
    await Promise.all(load);
    assert.ok(chains.reduce((n, c) => n + c.spent.length, 0) >= KILL_AFTER, 'the load really refreshed');

    server = await startGatehouse(env());
    const after = server.base;
    let checked = 0;
    for (const chain of chains) {
      const first = await client.refresh(after, chain.current);
      if (chain.inFlight) {
        // Unknown outcome: either the refresh was never committed (the token still works, once)
        // or it was (the token is spent). Either way it must not work twice.
        assert.ok(first.status === 200 || first.status === 400, `in-flight token: ${first.status}`);
      } else {
        checked++;
        assert.equal(first.status, 200, 'the acknowledged refresh token still works');
      }
      const again = await client.refresh(after, chain.current);
      assert.equal(again.status, 400, 'and only once');
      assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
    }
    assert.ok(checked >= 1, 'some chains held an acknowledged token at the kill');
    for (const chain of chains) {
      const spent = chain.spent[0];
      if (spent) assert.equal((await client.refresh(after, spent)).status, 400, 'a consumed refresh token never works again');
      const code = await client.token(after, {
        grant_type: 'authorization_code',
        code: chain.code,
        redirect_uri: 'https://example-business.com/api/auth/callback/gatehouse',
        code_verifier: 'x'.repeat(43),
      });
      assert.equal(code.status, 400, 'a consumed code never works again');
    }
  });
});

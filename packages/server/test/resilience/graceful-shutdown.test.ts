import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type TestContext, TEST_SECRET, createTestContext } from '../helpers/harness.js';
import { startGatehouse } from '../helpers/process.js';
import { within } from '../helpers/wait.js';

/**
 * Starts a POST whose body arrives later, so the request is in flight when the signal comes.
 * `started` resolves when the server has read its headers (its 100 Continue), so the test knows
 * the request is in flight without guessing how long a loaded machine takes to get there.
 */
function slowRequest(url: string, body: string): { started: Promise<void>; finish(): void; response: Promise<{ status: number; text: string }> } {
  const target = new URL(`${url}/oauth/token`);
  const req = http.request(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  });
  const started = new Promise<void>((resolve) => req.once('continue', resolve));
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 5));
  return {
    started,
    finish: () => req.end(body.slice(5)),
    response,
  };
}

describe('SIGTERM', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('fails readiness first, finishes in-flight requests, then exits 0', async () => {
    const server = await startGatehouse({
      GATEHOUSE_DATABASE_URL: ctx.databaseUrl,
      GATEHOUSE_SECRET: TEST_SECRET,
      // Longer than any test may take: the drain ends on the second signal below, not on time.
      GATEHOUSE_DRAIN_SECONDS: '300',
    });
    assert.equal((await fetch(`${server.base}/readyz`)).status, 200);
    const inFlight = Array.from({ length: 5 }, () => slowRequest(server.base, 'grant_type=client_credentials&client_id=nobody'));
    await within(Promise.all(inFlight.map((r) => r.started)), 'the requests to reach the server');

    server.child.kill('SIGTERM');
    await server.logged('shutdown');
    const ready = await fetch(`${server.base}/readyz`);
    assert.equal(ready.status, 503, 'readiness is down while draining');
    assert.equal((await fetch(`${server.base}/healthz`)).status, 200, 'still alive while draining');

    for (const r of inFlight) r.finish();
    for (const r of inFlight) {
      const { status, text } = await r.response;
      assert.ok(status >= 400 && status < 500, `in-flight request answered (${status} ${text})`);
    }
    assert.equal((await fetch(`${server.base}/readyz`)).status, 503, 'still draining: the drain lasts until its time or a second signal');
    // A second signal ends the drain now: the listener closes and the process exits.
    server.child.kill('SIGTERM');
    await server.logged('drain_ended');
    assert.equal(await server.exited, 0);
  });

  it('without a drain delay still answers requests that were mid-upload when the signal came', async () => {
    const server = await startGatehouse({ GATEHOUSE_DATABASE_URL: ctx.databaseUrl, GATEHOUSE_SECRET: TEST_SECRET });
    const inFlight = Array.from({ length: 5 }, () => slowRequest(server.base, 'grant_type=client_credentials&client_id=nobody'));
    await within(Promise.all(inFlight.map((r) => r.started)), 'the requests to reach the server');
    server.child.kill('SIGTERM');
    // Logged as the close begins: with no drain the listener is closed by then.
    await server.logged('shutdown');
    for (const r of inFlight) r.finish();
    for (const r of inFlight) {
      const { status } = await r.response;
      assert.ok(status >= 400 && status < 500);
    }
    assert.equal(await server.exited, 0);
  });
});

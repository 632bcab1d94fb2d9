import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createTestClient } from '../helpers/harness.js';
import { startLiveServer } from '../helpers/live-server.js';

/** A POST sent in chunks without Content-Length, as a slow or hostile client might. */
function chunkedPost(url: string, chunks: string[], headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: 413, body: '' }) : reject(error),
    );
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

// Over real HTTP, bodies are read from the socket: the size limit must hold there too.
describe('request bodies over a real socket', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  before(async () => {
    live = await startLiveServer();
  });
  after(() => live.close());

  it('reads a chunked form post', async () => {
    const { client, secret } = await createTestClient(live.ctx);
    const auth = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
    const res = await chunkedPost(`${live.issuer}/oauth/token`, ['grant_type=client_', 'credentials&scope=', 'payments'], { authorization: auth });
    assert.equal(res.status, 200, res.body);
    assert.equal((JSON.parse(res.body) as { scope: string }).scope, 'payments');
  });

  it('refuses a chunked body past 64 KiB with 413, without a Content-Length to go by', async () => {
    const chunk = `a=${'x'.repeat(16 * 1024)}&`;
    const res = await chunkedPost(
      `${live.issuer}/oauth/token`,
      Array.from({ length: 8 }, () => chunk),
      {},
    );
    assert.equal(res.status, 413);
  });

  it('reads a chunked JSON post, split inside a string, and holds it to the same limit', async () => {
    const { client, secret } = await createTestClient(live.ctx);
    const json = { 'content-type': 'application/json' };
    const chunks = [`{"grant_type":"client_cre`, `dentials","scope":"payments","client_id":"${client.id}",`, `"client_secret":"${secret}"}`];
    const res = await chunkedPost(`${live.issuer}/oauth/token`, chunks, json);
    assert.equal(res.status, 200, res.body);
    assert.equal((JSON.parse(res.body) as { scope: string }).scope, 'payments');
    const big = await chunkedPost(`${live.issuer}/oauth/token`, ['{"a":"', ...Array.from({ length: 8 }, () => 'x'.repeat(16 * 1024)), '"}'], json);
    assert.equal(big.status, 413);
  });

  it('refuses a declared Content-Length past 64 KiB before reading', async () => {
    const res = await fetch(`${live.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a='.padEnd(70 * 1024, 'x'),
    });
    assert.equal(res.status, 413);
  });
});

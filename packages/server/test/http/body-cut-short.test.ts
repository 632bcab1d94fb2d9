import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { Context } from 'hono';
import { OAuthError } from '../../src/errors.js';
import { readBody } from '../../src/http/body.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';

/** Just what readBody uses of a Hono context under @hono/node-server. */
function nodeContext(incoming: PassThrough): Context {
  return { req: { header: () => undefined, raw: { body: null } }, env: { incoming: incoming as unknown as IncomingMessage } } as unknown as Context;
}

describe('reading a body from the socket', () => {
  it('gives up with invalid_request when the client hangs up mid-body, instead of waiting for ever', { timeout: WAIT_GUARD_MS }, async () => {
    const incoming = new PassThrough();
    const reading = readBody(nodeContext(incoming), 1024);
    incoming.write('grant_type=refr');
    incoming.destroy();
    await assert.rejects(reading, (e: unknown) => e instanceof OAuthError && e.code === 'invalid_request');
  });

  it('reads a whole body', async () => {
    const incoming = new PassThrough();
    const reading = readBody(nodeContext(incoming), 1024);
    incoming.end('a=1&b=2');
    assert.equal((await reading).toString(), 'a=1&b=2');
  });
});

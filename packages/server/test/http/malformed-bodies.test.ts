import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, basicAuth, createTestClient, createTestContext } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

const FORM = 'application/x-www-form-urlencoded';
const PROTOCOL_POSTS = ['/oauth/token', '/oauth/revoke', '/oauth/introspect'];

// RFC 6749 §3.2 and §5.2: protocol endpoints take strict urlencoded bodies (or, as an extension,
// JSON: malformed-json-bodies.test.ts) and answer anything else with a JSON error, never a crash,
// a stack trace or an echoed secret.
describe('malformed request bodies', () => {
  let ctx: TestContext;
  let auth: string;
  let secret: string;

  before(async () => {
    ctx = await createTestContext();
    const made = await createTestClient(ctx);
    secret = made.secret as string;
    auth = basicAuth(made.client.id, secret);
  });
  after(() => ctx.close());

  /** Sends a request and checks what every answer here must satisfy; returns status and body text. */
  async function send(path: string, init: RequestInit & { duplex?: 'half' }): Promise<{ res: Response; text: string }> {
    const res = await ctx.app.request(at(path), init);
    const text = await res.text();
    assert.ok(res.status < 500, `${path} answered ${res.status}: ${text.slice(0, 200)}`);
    assert.ok(!text.includes('    at '), `${path} leaked a stack trace`);
    assert.ok(!text.includes(secret), `${path} echoed the client secret`);
    return { res, text };
  }

  /** A JSON invalid_request (or `error`) at `status`, marked no-store. */
  function assertJsonError(out: { res: Response; text: string }, status: number, error = 'invalid_request'): void {
    assert.equal(out.res.status, status, out.text);
    assert.match(out.res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(out.res.headers.get('cache-control') ?? '', /no-store/);
    assert.equal((JSON.parse(out.text) as { error: string }).error, error);
  }

  for (const path of PROTOCOL_POSTS) {
    it(`${path}: refuses a text/plain body with 400 invalid_request (JSON has its own tests)`, async () => {
      const body = 'grant_type=client_credentials&token=x';
      assertJsonError(await send(path, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: auth }, body }), 400);
    });

    it(`${path}: refuses a body without a content type, or multipart, with 400`, async () => {
      assertJsonError(await send(path, { method: 'POST', headers: { authorization: auth }, body: 'grant_type=client_credentials&token=x' }), 400);
      const multipart = new FormData();
      multipart.set('grant_type', 'client_credentials');
      multipart.set('token', 'x');
      assertJsonError(await send(path, { method: 'POST', headers: { authorization: auth }, body: multipart }), 400);
    });

    it(`${path}: refuses a repeated parameter with 400 invalid_request`, async () => {
      const body = 'grant_type=client_credentials&grant_type=client_credentials&token=x&token=x';
      assertJsonError(await send(path, { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body }), 400);
    });

    it(`${path}: refuses a body over 64 KiB with 413`, async () => {
      const body = `grant_type=client_credentials&token=${'a'.repeat(64 * 1024)}`;
      assertJsonError(await send(path, { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body }), 413);
    });
  }

  it('refuses an oversized body sent without Content-Length (streamed) with 413', async () => {
    const chunk = new TextEncoder().encode(`token=${'b'.repeat(16 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const out = await send('/oauth/token', { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body: stream, duplex: 'half' });
    assertJsonError(out, 413);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const prefix = 'grant_type=client_credentials&scope=payments&pad=';
    const body = `${prefix}${'c'.repeat(64 * 1024 - prefix.length)}`;
    assert.equal(Buffer.byteLength(body), 64 * 1024);
    const out = await send('/oauth/token', { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body });
    assert.equal(out.res.status, 200, out.text);
  });

  it('refuses invalid UTF-8 bytes with 400', async () => {
    const body = Buffer.from([0x67, 0x72, 0x61, 0x6e, 0x74, 0x5f, 0x74, 0x79, 0x70, 0x65, 0x3d, 0xff, 0xfe]);
    for (const path of PROTOCOL_POSTS) {
      assertJsonError(await send(path, { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body }), 400);
    }
  });

  it('refuses bad percent-encoding, including percent-encoded invalid UTF-8, with 400', async () => {
    for (const body of ['grant_type=%E0%A4%A', 'grant_type=%', 'grant_type=%zz', 'grant_type=%FF%FE', 'scope=%C3']) {
      for (const path of PROTOCOL_POSTS) {
        assertJsonError(await send(path, { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body }), 400);
      }
    }
  });

  it('accepts the form content type with a charset parameter and any case', async () => {
    for (const type of [`${FORM}; charset=UTF-8`, 'Application/X-WWW-Form-Urlencoded']) {
      const out = await send('/oauth/token', {
        method: 'POST',
        headers: { 'content-type': type, authorization: auth },
        body: 'grant_type=client_credentials&scope=payments',
      });
      assert.equal(out.res.status, 200, `${type}: ${out.text}`);
    }
  });

  it('answers an empty body with invalid_request, not a crash', async () => {
    for (const path of PROTOCOL_POSTS) {
      assertJsonError(await send(path, { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body: '' }), 400);
    }
  });

  it('answers odd but well-formed bodies without a server error', async () => {
    const bodies = [
      '&&&',
      '=',
      '==&=',
      'grant_type',
      'grant_type=%00',
      `grant_type=${'%F0%9F%92%A9'.repeat(100)}`,
      'a=b=c&grant_type=refresh_token&refresh_token=%00',
    ];
    for (const body of bodies) {
      for (const path of PROTOCOL_POSTS) {
        const out = await send(path, { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body });
        assert.ok(out.res.status >= 200 && out.res.status < 500);
        if (out.res.status >= 400) assert.match(out.res.headers.get('content-type') ?? '', /^application\/json/);
      }
    }
  });

  it('refuses malformed bodies at userinfo POST with 400 JSON', async () => {
    assertJsonError(await send('/oauth/userinfo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"access_token":"x"}' }), 400);
    assertJsonError(await send('/oauth/userinfo', { method: 'POST', headers: { 'content-type': FORM }, body: 'access_token=a&access_token=b' }), 400);
    assertJsonError(await send('/oauth/userinfo', { method: 'POST', headers: { 'content-type': FORM }, body: 'access_token=%E0%A4%A' }), 400);
  });

  it('shows hosted-page errors as HTML: logout with a bad body or query', async () => {
    const bad = [
      await send('/oauth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      await send('/oauth/logout?state=a&state=b', {}),
      await send('/oauth/logout?state=%E0%A4%A', {}),
      await send('/oauth/logout/confirm', { method: 'POST', headers: { 'content-type': FORM }, body: Buffer.from([0x61, 0x3d, 0xff]) }),
    ];
    for (const out of bad) {
      assert.equal(out.res.status, 400, out.text);
      assert.match(out.res.headers.get('content-type') ?? '', /^text\/html/);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestClient, createTestContext } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

const JSON_TYPE = 'application/json';
const PROTOCOL_POSTS = ['/oauth/token', '/oauth/revoke', '/oauth/introspect'];

// The JSON extension is as strict as the form it stands in for: an object of strings, each name
// once, within the same size limit, with the RFC error for anything else and never a crash.
describe('malformed JSON request bodies', () => {
  let ctx: TestContext;
  let id: string;
  let secret: string;

  before(async () => {
    ctx = await createTestContext();
    const made = await createTestClient(ctx);
    id = made.client.id;
    secret = made.secret as string;
  });
  after(() => ctx.close());

  /** Sends a body and checks what every answer here must satisfy; returns status and body text. */
  async function send(path: string, body: BodyInit, type = JSON_TYPE): Promise<{ res: Response; text: string }> {
    const res = await ctx.app.request(at(path), { method: 'POST', headers: { 'content-type': type }, body });
    const text = await res.text();
    assert.ok(res.status < 500, `${path} answered ${res.status}: ${text.slice(0, 200)}`);
    assert.ok(!text.includes('    at '), `${path} leaked a stack trace`);
    assert.ok(!text.includes(secret), `${path} echoed the client secret`);
    return { res, text };
  }

  function assertJsonError(out: { res: Response; text: string }, status: number, label: string): void {
    assert.equal(out.res.status, status, `${label}: ${out.text}`);
    assert.match(out.res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(out.res.headers.get('cache-control') ?? '', /no-store/);
    assert.equal((JSON.parse(out.text) as { error: string }).error, 'invalid_request', label);
  }

  /** A body that would succeed at every endpoint, with `rest` spliced in as raw JSON members. */
  function valid(rest = ''): string {
    return `{"grant_type":"client_credentials","token":"x","client_id":${JSON.stringify(id)},"client_secret":${JSON.stringify(secret)}${rest}}`;
  }

  it('control: the valid body is accepted everywhere', async () => {
    for (const path of PROTOCOL_POSTS) {
      const out = await send(path, valid());
      assert.equal(out.res.status, 200, `${path}: ${out.text}`);
    }
  });

  it('refuses a value that is not a string: number, array, object, null, boolean', async () => {
    for (const value of ['1', '-0.5e3', '["payments"]', '{"a":"b"}', 'null', 'true', 'false', '[]', '{}']) {
      for (const path of PROTOCOL_POSTS) {
        assertJsonError(await send(path, valid(`,"scope":${value}`)), 400, `${path} ${value}`);
      }
    }
  });

  it('refuses a repeated name, even one spelled with an escape or whose first value is not a string', async () => {
    for (const body of [valid(',"token":"x"'), valid(',"\\u0074oken":"y"'), `{"grant_type":1,${valid().slice(1)}`, valid(',"client_secret":"other"')]) {
      for (const path of PROTOCOL_POSTS) assertJsonError(await send(path, body), 400, `${path} ${body.slice(0, 60)}`);
    }
  });

  it('refuses a body that is not one JSON object', async () => {
    const bodies = [
      '',
      ' ',
      '[]',
      `[${valid()}]`,
      '"grant_type"',
      '1',
      'null',
      'true',
      '{',
      '}',
      '{"grant_type"}',
      '{"grant_type":}',
      '{"grant_type" "client_credentials"}',
      `{'grant_type':'client_credentials'}`,
      valid(','),
      `{,${valid().slice(1)}`,
      `${valid()} x`,
      `${valid()}${valid()}`,
      '{"a":"b"',
      '{"a":"b',
      '{"a":"b\\"}',
      '{"a":"\\x"}',
      '{"a":"\\u12"}',
      '{"a":"tab\there"}',
      '{"a":"line\nbreak"}',
      '{grant_type:"x"}',
      '{"a":"b"}\u0000',
    ];
    for (const body of bodies) {
      for (const path of PROTOCOL_POSTS) assertJsonError(await send(path, body), 400, `${path} ${JSON.stringify(body)}`);
    }
  });

  it('refuses a NUL, in a value or a name, and an unpaired surrogate', async () => {
    for (const rest of [',"scope":"pay\\u0000ments"', ',"sco\\u0000pe":"payments"', ',"scope":"\\ud800"', ',"\\udfff":"x"']) {
      for (const path of PROTOCOL_POSTS) assertJsonError(await send(path, valid(rest)), 400, `${path} ${rest}`);
    }
  });

  it('accepts a surrogate pair, escaped or not, and JSON whitespace', async () => {
    const out = await send('/oauth/token', valid(',"state":"\\ud83d\\udca9 💩"').replace(/,/g, ' ,\n\t').replace(/^\{/, '\r\n{ ').replace(/\}$/, ' }\n'));
    assert.equal(out.res.status, 200, out.text);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const body = Buffer.concat([Buffer.from(valid().slice(0, -1)), Buffer.from(',"scope":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    for (const path of PROTOCOL_POSTS) assertJsonError(await send(path, body), 400, path);
  });

  it('refuses a charset other than UTF-8', async () => {
    for (const type of [`${JSON_TYPE}; charset=iso-8859-1`, `${JSON_TYPE}; charset=utf-16`, `${JSON_TYPE};charset=""`]) {
      for (const path of PROTOCOL_POSTS) assertJsonError(await send(path, valid(), type), 400, `${path} ${type}`);
    }
  });

  it('refuses a JSON-like type that is not application/json', async () => {
    for (const type of ['text/json', 'application/jsonx', 'application/x-json', 'text/plain']) {
      for (const path of PROTOCOL_POSTS) assertJsonError(await send(path, valid(), type), 400, `${path} ${type}`);
    }
  });

  it('refuses a body over 64 KiB with 413, and takes one of exactly 64 KiB', async () => {
    const pad = (size: number): string => {
      const base = valid(',"pad":""');
      return valid(`,"pad":"${'a'.repeat(size - base.length)}"`);
    };
    for (const path of PROTOCOL_POSTS) assertJsonError(await send(path, pad(64 * 1024 + 1)), 413, path);
    const exact = pad(64 * 1024);
    assert.equal(Buffer.byteLength(exact), 64 * 1024);
    assert.equal((await send('/oauth/token', exact)).res.status, 200);
  });

  it('keeps JSON out of the other endpoints that take forms', async () => {
    for (const path of ['/oauth/userinfo', '/oauth/authorize', '/oauth/logout']) {
      const out = await send(path, valid());
      assert.equal(out.res.status, 400, `${path}: ${out.text}`);
    }
  });
});

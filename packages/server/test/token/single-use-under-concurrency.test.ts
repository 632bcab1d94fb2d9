import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInForTokens, tokenRequest } from '../helpers/flow.js';
import { TEST_REDIRECT_URI, type TestContext } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { obtainCode, grantSetup } from '../helpers/oauth-requests.js';

const ATTEMPTS = 50;

/** Status and error code of each response, in order. */
async function outcomes(responses: Response[]): Promise<{ status: number; error: unknown }[]> {
  return Promise.all(
    responses.map(async (res) => {
      const body = (await res.json()) as Record<string, unknown>;
      return { status: res.status, error: body.error };
    }),
  );
}

/** One 200 among the racing requests; every other one refused with invalid_grant. */
function assertExactlyOneSucceeded(results: { status: number; error: unknown }[]): void {
  assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results.filter((r) => r.status !== 400)));
  const refused = results.filter((r) => r.status !== 200);
  assert.equal(refused.length, ATTEMPTS - 1);
  assert.ok(
    refused.every((r) => r.status === 400 && r.error === 'invalid_grant'),
    JSON.stringify(refused.filter((r) => r.error !== 'invalid_grant')),
  );
}

// RFC 6749 §4.1.2 (a code is used once) and RFC 9700 §4.14.2 (a rotated refresh token is used
// once), when many requests race through the whole HTTP stack at the same moment.
describe('codes and refresh tokens are single-use under concurrent requests', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string };
  let email: string;
  let browser: HttpBrowser;

  before(async () => {
    const setup = await grantSetup();
    ({ ctx, client, browser } = setup);
    email = setup.user.email;
  });
  after(() => ctx.close());

  it(`exchanges one code exactly once among ${ATTEMPTS} concurrent requests`, async () => {
    const got = await obtainCode(browser, client.id, email);
    const params = { grant_type: 'authorization_code', code: got.code, redirect_uri: TEST_REDIRECT_URI, code_verifier: got.verifier };
    const results = await outcomes(await Promise.all(Array.from({ length: ATTEMPTS }, () => tokenRequest(ctx, client.id, client.secret, params))));
    assertExactlyOneSucceeded(results);
  });

  it(`rotates one refresh token exactly once among ${ATTEMPTS} concurrent requests`, async () => {
    const { tokens } = await signInForTokens(ctx, client, email, {}, browser);
    const params = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string };
    const results = await outcomes(await Promise.all(Array.from({ length: ATTEMPTS }, () => tokenRequest(ctx, client.id, client.secret, params))));
    assertExactlyOneSucceeded(results);
  });

  it('keeps concurrent exchanges of different codes independent', async () => {
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await obtainCode(browser, client.id, email));
    const responses = await Promise.all(
      codes.map((got) =>
        tokenRequest(ctx, client.id, client.secret, {
          grant_type: 'authorization_code',
          code: got.code,
          redirect_uri: TEST_REDIRECT_URI,
          code_verifier: got.verifier,
        }),
      ),
    );
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import { assertInteractionPage } from '../helpers/authorize-pages.js';
import { ISSUER, TEST_PREFIX, at } from '../helpers/prefix.js';

const FORGED = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '203.0.113.9',
};

async function ipKeys(ctx: TestContext): Promise<string[]> {
  // Throttle keys are stored under the issuer's id (repos/rate-limits.ts).
  const rows = await ctx.services.store.db.selectFrom('rate_limits').select('key').where('key', 'like', 'default/login:ip:%').execute();
  return rows.map((r) => r.key.slice('default/'.length)).sort();
}

describe('forwarded headers', () => {
  let ctx: TestContext;
  let trusting: TestContext;
  before(async () => {
    ctx = await createTestContext();
    trusting = await createTestContext({ GATEHOUSE_TRUST_PROXY: 'true' });
  });
  after(async () => {
    await ctx.close();
    await trusting.close();
  });

  it('never builds a URL from Host or X-Forwarded-* headers', async () => {
    const meta = (await (await ctx.app.request(at('/.well-known/openid-configuration'), { headers: FORGED })).json()) as Record<string, string>;
    for (const [name, value] of Object.entries(meta)) {
      if (typeof value === 'string' && /^https?:/.test(value)) assert.ok(value.startsWith(ISSUER), `${name}: ${value}`);
    }
    const { client } = await createTestClient(ctx);
    const res = await ctx.app.request(authorizeUrl(client.id).url, { headers: FORGED });
    const html = await assertInteractionPage(res);
    assert.ok(!html.includes('evil.example'), 'the page names no forged host');
  });

  /** One failed login whose form post carries `forwardedFor` as X-Forwarded-For. */
  async function failLoginFrom(context: TestContext, forwardedFor: string): Promise<void> {
    const { client } = await createTestClient(context);
    const user = await createTestUser(context);
    const browser = inProcessBrowser(context);
    const step = await browser.navigate(authorizeUrl(client.id).url, ISSUER);
    assert.ok(step.page);
    const form = new URLSearchParams({ csrf: /name="csrf" value="([^"]+)"/.exec(step.page.html)?.[1] ?? '', email: user.email, password: 'nope' });
    const action = new RegExp(`action="(${TEST_PREFIX}/interaction/[^"]+/login)"`).exec(step.page.html)?.[1] as string;
    const res = await browser.request(new URL(action, ISSUER).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
      body: form.toString(),
    });
    assert.equal(res.status, 401);
  }

  it('ignores X-Forwarded-For for login throttling by default', async () => {
    await failLoginFrom(ctx, '203.0.113.9');
    assert.ok(!(await ipKeys(ctx)).includes('login:ip:203.0.113.9'), 'the forged address was not believed');
  });

  it('uses the last X-Forwarded-For entry with GATEHOUSE_TRUST_PROXY', async () => {
    await failLoginFrom(trusting, '198.51.100.1, 203.0.113.9');
    assert.deepEqual(await ipKeys(trusting), ['login:ip:203.0.113.9']);
  });
});

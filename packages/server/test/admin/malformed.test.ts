import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_API_ROUTES } from '../../src/admin/api/routes.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';

const PARAMS = ['nope', 'x'.repeat(3000), '%ZZ', '%00', '..%2F..', '%3Cscript%3E'];
const BODIES: { body: string; type?: string }[] = [
  { body: '{' },
  { body: '[]' },
  { body: 'null' },
  { body: '"text"' },
  { body: JSON.stringify({ unknown_field: 1, client_name: 5, email: ['a'], roles: 'x', overlap_seconds: 'soon', alg: 'none' }) },
  { body: JSON.stringify({ a: 'x'.repeat(70_000) }) },
  { body: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
  { body: '{}', type: 'text/plain' },
];

/**
 * Every Admin API route, as an owner (the caller allowed the most), with garbled path
 * parameters, queries and bodies: an RFC 9457 problem with a 4xx, never a 500.
 */
describe('Admin API: malformed input at every route', () => {
  let ctx: TestContext;
  let token: string;
  before(async () => {
    ctx = await createTestContext();
    token = (await personToken(ctx, 'owner')).token;
  });
  after(() => ctx.close());

  async function check(method: string, route: string, body?: string, type?: string): Promise<void> {
    const res = await admin(ctx, token, method.toUpperCase(), route, body, type ? { 'content-type': type } : {});
    const label = `${method} ${route.slice(0, 100)} ${body?.slice(0, 40) ?? ''}`;
    assert.ok(res.status < 500, `${label} answered ${res.status}`);
    if (res.status >= 400) assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, label);
    await res.body?.cancel();
  }

  it('answers garbled path parameters and queries with a problem', async () => {
    for (const route of ADMIN_API_ROUTES) {
      for (const param of PARAMS) {
        const path = route.path.replace(/\{[a-z_]+\}/g, param);
        await check(route.method, `${path}?cursor=%ZZ&limit=-1&q=${'y'.repeat(300)}&since=never`);
      }
    }
  });

  it('answers garbled bodies with a problem', async () => {
    for (const route of ADMIN_API_ROUTES.filter((r) => r.method !== 'get' && r.method !== 'delete')) {
      const path = route.path.replace(/\{[a-z_]+\}/g, 'nope');
      for (const { body, type } of BODIES) await check(route.method, path, body, type);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { ISSUER } from '../helpers/prefix.js';

const LONG = 'x'.repeat(5000);
// Ids of every shape a route may be handed: unknown, overlong, percent-garbage, traversal, markup.
const IDS = ['nope', LONG, '%ZZ', '%E0%A4%A', '..%2F..%2Fetc', '%3Cscript%3E', '%00', encodeURIComponent('a b/c?d')];
const GET_ROUTES = ['/admin/applications/:id', '/admin/applications/:id/credentials', '/admin/users/:id', '/admin/organizations/:id', '/admin/issuers/:id'];
const POST_ROUTES = [
  '/admin/applications/:id',
  '/admin/applications/:id/secret',
  '/admin/applications/:id/delete',
  '/admin/applications/:id/try',
  '/admin/users/:id',
  '/admin/users/:id/status',
  '/admin/users/:id/password',
  '/admin/users/:id/sessions/end',
  '/admin/users/:id/grants/revoke',
  '/admin/users/:id/grants/remove-scope',
  '/admin/users/:id/delete',
  '/admin/organizations/:id/settings',
  '/admin/organizations/:id/roles/add',
  '/admin/organizations/:id/members/add',
  '/admin/organizations/:id/delete',
  '/admin/keys/:id/retire',
  '/admin/issuers/:id',
];
const QUERIES = [
  '/admin/applications?cursor=%ZZ',
  `/admin/applications?cursor=${LONG}`,
  '/admin/users?q=%ZZ&cursor=garbage',
  `/admin/users?q=${LONG}`,
  '/admin/organizations?cursor=e30',
  '/admin/audit-log?type=nope&since=yesterday&until=%ZZ&cursor=%00',
  '/admin/audit-log?user_id[]=1&client_id=%00',
  '/admin/applications/new?type=%00',
  '/admin/try/callback?state=%ZZ&code=&iss=',
  '/admin/setup?token=%ZZ',
  '/admin/signin?return_to=%ZZ&ui_locales=%00',
  '/admin/callback?state=&code=%ZZ',
];

/**
 * Malformed ids, queries and form bodies at every console route: a readable page with a 4xx,
 * never a 500, and never the input echoed as markup.
 */
describe('console: malformed input', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  let csrf: string;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'owner');
    const { browser: b, page } = await consoleSignIn(ctx, operator.email);
    browser = b;
    csrf = /name="csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    assert.ok(csrf);
  });
  after(() => ctx.close());

  async function check(method: 'GET' | 'POST', route: string, body?: string): Promise<void> {
    const res = await browser.request(`${ISSUER}${route}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }),
    });
    const text = await res.text();
    assert.ok(res.status < 500, `${method} ${route.slice(0, 120)} answered ${res.status}`);
    assert.doesNotMatch(text, /<script>/i, `${route.slice(0, 120)} echoed markup`);
  }

  it('answers unknown and garbled ids with a page, not a 500', async () => {
    for (const route of GET_ROUTES) for (const id of IDS) await check('GET', route.replace(':id', id));
  });

  it('answers garbled queries with a page, not a 500', async () => {
    for (const route of QUERIES) await check('GET', route);
  });

  it('answers posts with garbled ids and bodies with a page, not a 500', async () => {
    const bodies = [
      `csrf=${csrf}`,
      `csrf=${csrf}&etag=%ZZ&client_name=${LONG}&redirect_uris=%00&overlap_seconds=-1&confirm=1`,
      `csrf=${csrf}&etag="999"&name=&email=not-an-email&password=x&grant_id=%00&roles=%00&permissions=${LONG}&user=%00&client_secret=${LONG}&enable=1`,
      `csrf=${csrf}&${'a=1&'.repeat(2000)}`,
      '%ZZ=%ZZ',
    ];
    for (const route of POST_ROUTES)
      for (const id of ['nope', '%ZZ', LONG.slice(0, 300)]) for (const body of bodies) await check('POST', route.replace(':id', id), body);
  });
});

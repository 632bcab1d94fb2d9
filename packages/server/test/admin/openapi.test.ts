import { at } from '../helpers/prefix.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { openApiReference } from '../../src/admin/api/reference.js';
import { ADMIN_API_ROUTES } from '../../src/admin/api/routes.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { ISSUER } from '../helpers/flow.js';

type Json = Record<string, unknown>;

/** Every "$ref" anywhere in `value`. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

describe('the Admin API’s OpenAPI document', () => {
  let ctx: TestContext;
  let doc: Json;
  before(async () => {
    ctx = await createTestContext();
    const res = await ctx.app.request(at('/admin/api/v1/openapi.json'));
    assert.equal(res.status, 200);
    doc = (await res.json()) as Json;
  });
  after(() => ctx.close());

  it('is OpenAPI 3.1 with this issuer’s server URL and bearer security', () => {
    assert.match(String(doc.openapi), /^3\.1\./);
    assert.deepEqual(doc.servers, [{ url: `${ISSUER}/admin/api/v1` }]);
    assert.deepEqual((doc.components as Json).securitySchemes, { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (RFC 9068)' } });
  });

  it('describes every route once, each with a unique operationId', () => {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const described = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    assert.deepEqual(described.sort(), ADMIN_API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const ids = Object.values(paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    assert.equal(new Set(ids).size, ids.length);
  });

  it('has every reference resolve inside the document', () => {
    const schemas = (doc.components as Json).schemas as Json;
    for (const ref of refs(doc)) {
      const match = /^#\/components\/schemas\/([A-Za-z0-9_]+)$/.exec(ref);
      assert.ok(match, `${ref} is a component reference`);
      assert.ok(match[1] && match[1] in schemas, `${ref} resolves`);
    }
  });

  it('says that a request body must not carry unknown fields', () => {
    const schemas = (doc.components as Json).schemas as Record<string, Json>;
    assert.equal(schemas.NewClient?.additionalProperties, false);
    assert.ok(((schemas.NewClient?.required ?? []) as string[]).includes('client_name'));
  });

  it('is served at other issuers with their own URLs', async () => {
    const { createIssuer } = await import('../../src/issuers/service.js');
    await createIssuer(ctx.services, { id: 'acme', name: 'Acme Inc' });
    const res = await ctx.app.request(at('/acme/admin/api/v1/openapi.json'));
    const other = (await res.json()) as Json;
    assert.deepEqual(other.servers, [{ url: `${ISSUER}/acme/admin/api/v1` }]);
  });

  it('is in docs/admin-api.openapi.json as the default issuer at localhost:3000 serves it (regenerate with `npx tsx scripts/openapi-doc.ts`)', () => {
    const file = fs.readFileSync(new URL('../../../../docs/admin-api.openapi.json', import.meta.url), 'utf8');
    assert.ok(file === openApiReference(), 'docs/admin-api.openapi.json is out of date: run npx tsx scripts/openapi-doc.ts');
    const documented = JSON.parse(file) as Json;
    assert.deepEqual(Object.keys(documented.paths as Json).sort(), Object.keys(doc.paths as Json).sort());
  });
});

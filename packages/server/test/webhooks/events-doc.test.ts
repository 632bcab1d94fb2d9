import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EVENT_TYPES } from '../../src/events/catalog.js';
import { withEventTypes } from '../../src/events/events-doc.js';
import { EVENT_SCHEMAS } from '../../src/events/schemas.js';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/events.md');

describe('docs/events.md', () => {
  it('has a payload schema for every event type of the catalog', () => {
    const missing = EVENT_TYPES.filter((t) => !Object.hasOwn(EVENT_SCHEMAS, t));
    assert.deepEqual(missing, [], 'add these to packages/server/src/events/schemas.ts');
  });

  it('lists every event type with its schema as the catalog has it (regenerate with `npx tsx scripts/events-doc.ts`)', () => {
    const doc = fs.readFileSync(DOC, 'utf8');
    assert.equal(doc, withEventTypes(doc));
    for (const type of EVENT_TYPES) assert.ok(doc.includes(`### \`${type}\``), type);
  });

  it('schemas accept the payloads events are recorded with and refuse extra fields', () => {
    assert.ok(EVENT_SCHEMAS['grant.revoked'].safeParse({ grant_id: 'g', reason: 'revoked_by_user' }).success);
    assert.ok(!EVENT_SCHEMAS['grant.revoked'].safeParse({ grant_id: 'g', reason: 'because' }).success);
    assert.ok(!EVENT_SCHEMAS['user.created'].safeParse({ password: 'x' }).success);
  });
});

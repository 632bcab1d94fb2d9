// Writes the "Event types" section of docs/events.md: every event type's payload as JSON Schema,
// from packages/server/src/events/schemas.ts: `npx tsx scripts/events-doc.ts`.
// test/webhooks/events-doc.test.ts fails when the section is out of date.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withEventTypes } from '../packages/server/src/events/events-doc.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const file = path.join(root, 'docs/events.md');
fs.writeFileSync(file, withEventTypes(fs.readFileSync(file, 'utf8')));

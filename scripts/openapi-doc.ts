// Writes docs/admin-api.openapi.json, the Admin API's OpenAPI document as the default issuer at
// http://localhost:3000 serves it: `npx tsx scripts/openapi-doc.ts`.
// test/admin/openapi.test.ts fails when the file is out of date.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiReference } from '../packages/server/src/admin/api/reference.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
fs.writeFileSync(path.join(root, 'docs/admin-api.openapi.json'), openApiReference());

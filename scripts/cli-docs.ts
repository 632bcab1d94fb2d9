// Writes docs/cli.md from the commands' own --help texts: `npx tsx scripts/cli-docs.ts`.
// test/cli/docs.test.ts fails when the file is out of date.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliReference } from '../packages/server/src/cli/reference.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
fs.writeFileSync(path.join(root, 'docs/cli.md'), await cliReference());

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { cliReference } from '../../src/cli/reference.js';

describe('docs/cli.md', () => {
  it("is the commands' current help (regenerate with `npx tsx scripts/cli-docs.ts`)", async () => {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/cli.md');
    assert.equal(fs.readFileSync(file, 'utf8'), await cliReference());
  });
});

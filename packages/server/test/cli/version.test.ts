import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('gatehouse --version', () => {
  it("prints the server package's version and exits 0", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(SERVER, 'package.json'), 'utf8')) as { version: string };
    const result = spawnSync(process.execPath, [path.join(SERVER, 'bin/gatehouse.js'), '--version'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
  });
});

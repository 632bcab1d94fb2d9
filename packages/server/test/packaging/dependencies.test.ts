import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, found);
    else if (/\.tsx?$/.test(entry.name)) found.push(full);
  }
  return found;
}

// The bundle leaves the package's dependencies out (scripts/build.mjs), and esbuild cannot see
// modules loaded with createRequire at run time: both must be installed with the package.
describe('the published server package', () => {
  it('depends on every module the bundle loads at run time with createRequire', () => {
    const { dependencies } = JSON.parse(fs.readFileSync(path.join(SERVER, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const loaded = new Set<string>();
    for (const file of sources(path.join(SERVER, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/createRequire\(import\.meta\.url\)(?:\.resolve)?\(\s*'([^']+)'\s*\)/g)) loaded.add(match[1] as string);
    }
    assert.ok(loaded.size > 0, 'found no createRequire loads: has the pattern changed?');
    for (const name of loaded) assert.ok(Object.hasOwn(dependencies, name), `${name} is loaded at run time but is not in dependencies`);
  });
});

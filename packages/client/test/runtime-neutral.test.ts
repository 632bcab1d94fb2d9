import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

test('src uses Web APIs only: no node: imports, no Node globals', () => {
  const files = sources(src);
  assert.ok(files.length > 5);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /node:/, `${path.basename(file)} mentions node:`);
    assert.doesNotMatch(text, /\b(Buffer|process)\.\w|\brequire\(|\b__dirname\b/, `${path.basename(file)} uses a Node global`);
    for (const [, specifier] of text.matchAll(/from\s+'([^']+)'/g)) {
      assert.ok(specifier?.startsWith('./') || ['jose', 'oauth4webapi'].includes(specifier ?? ''), `${path.basename(file)} imports ${specifier}`);
    }
  }
});

test('the package manifest is ESM with types, exports and no side effects', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(src, '..', 'package.json'), 'utf8'));
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.sideEffects, false);
  assert.deepEqual(manifest.exports['.'], { types: './dist/index.d.ts', default: './dist/index.js' });
  assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['jose', 'oauth4webapi']);
});

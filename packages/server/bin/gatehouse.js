#!/usr/bin/env node
// Runs the bundled server (dist/gatehouse.mjs), rebuilding it first when a source file is newer,
// so `npm start` always runs the current code without a separate build step. If the bundle
// cannot be built (a read-only checkout without one), the sources run through tsx instead. The
// published package ships the bundle without sources, esbuild or tsx: it always runs the bundle.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BUNDLE, bundleIsFresh } from '../scripts/freshness.mjs';

async function bundled() {
  try {
    if (bundleIsFresh()) return true;
    const { buildBundle } = await import('../scripts/build.mjs');
    await buildBundle();
    return true;
  } catch {
    return fs.existsSync(BUNDLE);
  }
}

if (await bundled()) {
  await import(pathToFileURL(BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/entry.ts');
}

// Whether dist/gatehouse.mjs is older than the sources: kept apart from build.mjs so a normal
// start does not load esbuild at all.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const BUNDLE = path.join(root, 'dist', 'gatehouse.mjs');

/** Newest modification time of the sources. */
export function newestSource(dir = path.join(root, 'src')) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function bundleIsFresh() {
  return fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs >= newestSource();
}

// Whether dist/gatehouse.mjs is older than the sources: kept apart from build.mjs so a normal
// start does not load esbuild at all.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const BUNDLE = path.join(root, 'dist', 'gatehouse.mjs');
const SOURCES = path.join(root, 'src');

/** Newest modification time of the sources. */
export function newestSource(dir = SOURCES) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function bundleIsFresh() {
  if (!fs.existsSync(BUNDLE)) return false;
  // The published package ships the bundle without the sources (nor esbuild to rebuild it).
  if (!fs.existsSync(SOURCES)) return true;
  return fs.statSync(BUNDLE).mtimeMs >= newestSource();
}

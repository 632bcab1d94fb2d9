#!/usr/bin/env node
// Writes scripts/test-weights.json from the file TEST_FILE_TIMES=<file> npm test wrote:
// the seconds each file took per lane, which scripts/test.mjs uses to fill its shards evenly.
// Usage: TEST_FILE_TIMES=/tmp/ft npm test && node scripts/test-weights.mjs /tmp/ft
import fs from 'node:fs';
import path from 'node:path';

const prefix = process.argv[2];
if (!prefix) {
  console.error('usage: node scripts/test-weights.mjs <TEST_FILE_TIMES file>');
  process.exit(2);
}
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const target = path.join(root, 'scripts/test-weights.json');
const weights = JSON.parse(fs.readFileSync(target, 'utf8'));
// One line a file: "  12.3 s tests  12.5 s wall  [lane] path"; the lane's label is its key
// ("sqlite", "postgres under /idp", "sqlite under /idp"); test.mjs falls back to the backend's.
const file = prefix;
if (!fs.existsSync(file)) {
  console.error(`no such file: ${file}`);
  process.exit(2);
}
const measured = {};
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  const m = /^\s*([\d.]+) s tests\s+[\d.]+ s wall(?: \d+ failed)?\s+\[([^\]]+)\] (\S+)$/.exec(line);
  if (!m) continue;
  // A suite whose file's tests were counted to another (node:test does, for some shapes of file)
  // reads 0.0: it keeps the weight it had.
  if (Number(m[1]) < 0.05) continue;
  measured[m[2]] ??= {};
  measured[m[2]][m[3]] = Math.round(Number(m[1]) * 10) / 10;
}
for (const [lane, files] of Object.entries(measured)) {
  weights[lane] = Object.fromEntries(Object.entries({ ...weights[lane], ...files }).sort(([a], [b]) => a.localeCompare(b)));
}
fs.writeFileSync(target, `${JSON.stringify(weights, null, 1)}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);

#!/usr/bin/env node
// Writes scripts/test-weights.json from the files TEST_FILE_TIMES=<prefix> npm test wrote:
// the seconds each file took per backend, which scripts/test.mjs uses to fill its shards evenly.
// Usage: TEST_FILE_TIMES=/tmp/ft npm test && node scripts/test-weights.mjs /tmp/ft
import fs from 'node:fs';
import path from 'node:path';

const prefix = process.argv[2];
if (!prefix) {
  console.error('usage: node scripts/test-weights.mjs <TEST_FILE_TIMES prefix>');
  process.exit(2);
}
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const target = path.join(root, 'scripts/test-weights.json');
const weights = JSON.parse(fs.readFileSync(target, 'utf8'));
// The root SQLite lane and the PostgreSQL lane; the /idp SQLite lane runs the same files as the first.
for (const [lane, suffix] of [
  ['sqlite', 'sqlite'],
  ['postgres', 'postgres-under-idp'],
]) {
  const file = `${prefix}.${suffix}`;
  if (!fs.existsSync(file)) continue;
  const measured = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([\d.]+) s tests\s+[\d.]+ s wall(?: \d+ failed)?\s+(\S+)$/.exec(line);
    if (m) measured[m[2]] = Math.round(Number(m[1]) * 10) / 10;
  }
  weights[lane] = Object.fromEntries(Object.entries({ ...weights[lane], ...measured }).sort(([a], [b]) => a.localeCompare(b)));
}
fs.writeFileSync(target, `${JSON.stringify(weights, null, 1)}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);

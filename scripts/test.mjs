#!/usr/bin/env node
// Runs every *.test.ts with Node's test runner through tsx: once on SQLite, and once more on
// PostgreSQL when TEST_DATABASE_URL is set. Ends with one combined "N passed, N failed" line.
// Usage: npm test [-- path-filter ...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const filters = process.argv.slice(2);

function findTests(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(full, found);
    else if (entry.name.endsWith('.test.ts')) found.push(path.relative(root, full));
  }
  return found;
}

const files = ['packages', 'examples', 'bench']
  .filter((d) => fs.existsSync(path.join(root, d)))
  .flatMap((d) => findTests(path.join(root, d)))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// Suites whose code has no backend-specific path (pages, request parsing, validation, the SDK,
// libraries driving the server) run on SQLite only; everything that reaches the repositories'
// statements (store, issuers, tokens, organizations, cluster, resilience, …) runs on both.
const SQLITE_ONLY = [
  'packages/server/test/http/',
  'packages/server/test/interactions/',
  'packages/server/test/discovery/',
  'packages/server/test/config/',
  'packages/server/test/logout/',
  'packages/server/test/authorize/',
  'packages/server/test/proxy/',
  'packages/server/test/auth/',
  'packages/server/test/mail/',
  'packages/server/test/e2e/',
  'packages/server/test/cli/docs',
  'packages/server/test/ops/config-errors',
  'packages/server/test/password/forms',
  'packages/server/test/password/feature-off',
  'packages/server/test/password/return-to',
  'packages/server/test/password/smtp-tls',
  'packages/client/',
  'packages/interop/',
  'examples/',
  'bench/',
];
const onBothBackends = (file) => !SQLITE_ONLY.some((prefix) => file.startsWith(prefix));

const runs = [{ name: 'sqlite', env: { TEST_DATABASE_URL: '' }, files }];
if (process.env.TEST_DATABASE_URL) {
  runs.push({ name: 'postgres', env: { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL }, files: files.filter(onBothBackends) });
}

let passed = 0;
let failed = 0;
let exitCode = 0;
for (const run of runs) {
  if (run.files.length === 0) continue;
  console.log(`\n=== ${run.files.length} test files on ${run.name} ===`);
  const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gh-test-')), 'report.tap');
  const result = spawnSync(
    process.execPath,
    [
      '--import', 'tsx',
      '--test',
      `--test-concurrency=${Math.max(2, os.availableParallelism())}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...run.files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...run.env } },
  );
  const report = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  console.log(`${run.name}: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed`);
  if (result.status !== 0) exitCode = result.status ?? 1;
}
if (passed === 0) exitCode = exitCode || 1;
console.log(`\ntotal: ${passed} passed, ${failed} failed`);
process.exit(exitCode);

#!/usr/bin/env node
// Runs every *.test.ts with Node's test runner through tsx: once on SQLite, and once more on
// PostgreSQL when TEST_DATABASE_URL is set. Ends with one combined "N passed, N failed" line.
// Usage: npm test [-- path-filter ...]; TEST_LIST=1 lists the files per backend and runs none;
// TEST_FILE_TIMES=/prefix writes each file's time (see file-times-reporter.mjs).
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

// Which suites run on which backend, by what each is for. A file is matched by its path prefix.
//
// BOTH: the store contract and whatever holds a backend-specific path: every repository
// method and each hand-written fast path (one statement on PostgreSQL, a transaction on SQLite)
// against its slow path, statement counts, query plans, races decided by the database, and the
// per-issuer isolation and second-issuer flow the issuers design promises on both.
const BOTH = [
  'packages/server/test/store/', // the store contract (store/contract/) and each repository's own tests
  'packages/server/test/issuers/isolation', // no repository method sees another issuer's rows
  'packages/server/test/issuers/maintenance', // deleting an issuer deletes its rows from every table
  'packages/server/test/issuers/second-issuer-flow', // the whole code flow at <issuer>/{id}
  'packages/server/test/organizations/repositories',
  'packages/server/test/organizations/statements', // statement shapes differ per backend
  'packages/server/test/interactions/login-statements', // statements per sign-in differ per backend
  'packages/server/test/token/refresh-reuse-grace', // concurrent refreshes and statement counts
  'packages/server/test/token/single-use-under-concurrency', // races between transactions
  'packages/server/test/events/', // events written in the change's transaction (CTEs on PostgreSQL)
  'packages/server/test/services/session-grants', // a session's end ends its grants, by one UPDATE per backend
  'packages/server/test/cli/missing-database', // how each backend reports a database that is not there
  'packages/server/test/resilience/crash-durability', // kill -9: the WAL fsync on SQLite, commits on PostgreSQL
];
// POSTGRES_ONLY: several processes on one database, and the database going away or the process
// being stopped: what PostgreSQL deployments do (a SQLite file has one server). Skipped, with a
// note, when TEST_DATABASE_URL is not set.
const POSTGRES_ONLY = [
  'packages/server/test/cluster/',
  'packages/server/test/resilience/database-outage', // starts a private PostgreSQL of its own
  'packages/server/test/resilience/graceful-shutdown',
];
// Everything else (protocol, pages, CLI, the SDK, libraries driving the server, the example,
// the bench's arithmetic) runs on SQLite only: it reaches the database through the repositories
// the contract holds to one meaning on both.
const matches = (list) => (file) => list.some((prefix) => file.startsWith(prefix));
const onBoth = matches(BOTH);
const postgresOnly = matches(POSTGRES_ONLY);

// Started first, as they take longest (TEST_FILE_TIMES shows where the time goes): with two at
// a time, a long file started last would leave one core idle while it finishes.
const SLOW_FIRST = [
  'packages/server/test/pages/accessibility', // Chromium through every page in five languages
  'examples/example-business/test/browser', // Chromium through the example app
  'packages/server/test/cluster/',
  'packages/server/test/resilience/',
  'packages/server/test/password/',
  'packages/server/test/issuers/',
];
const rank = (file) => {
  const i = SLOW_FIRST.findIndex((prefix) => file.startsWith(prefix));
  return i < 0 ? SLOW_FIRST.length : i;
};
files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const postgresUrl = process.env.TEST_DATABASE_URL;
const runs = [{ name: 'sqlite', env: { TEST_DATABASE_URL: '' }, files: files.filter((f) => !postgresOnly(f)) }];
if (postgresUrl) {
  runs.push({ name: 'postgres', env: { TEST_DATABASE_URL: postgresUrl }, files: files.filter((f) => onBoth(f) || postgresOnly(f)) });
} else if (files.some(postgresOnly)) {
  console.log(`(${files.filter(postgresOnly).length} PostgreSQL-only test files skipped: set TEST_DATABASE_URL to run them)`);
}
if (runs.every((r) => r.files.length === 0)) {
  console.error('no test files to run on these backends');
  process.exit(1);
}

// TEST_LIST=1 prints which files would run on which backend, in order, and runs nothing.
if (process.env.TEST_LIST) {
  for (const run of runs) console.log(`${run.name} (${run.files.length}):\n${run.files.map((f) => `  ${f}`).join('\n')}`);
  process.exit(0);
}

let passed = 0;
let failed = 0;
let exitCode = 0;
for (const run of runs) {
  if (run.files.length === 0) continue;
  console.log(`\n=== ${run.files.length} test files on ${run.name} ===`);
  const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gh-test-')), 'report.tap');
  // TEST_FILE_TIMES=/some/prefix writes each file's time to /some/prefix.<backend> (slowest first).
  const times = process.env.TEST_FILE_TIMES
    ? ['--test-reporter', path.join(root, 'scripts/file-times-reporter.mjs'), `--test-reporter-destination=${process.env.TEST_FILE_TIMES}.${run.name}`]
    : [];
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${Math.max(2, os.availableParallelism())}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...times,
      ...run.files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...run.env } },
  );
  const report = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`${run.name}: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed in ${seconds} s`);
  if (result.status !== 0) exitCode = result.status ?? 1;
}
if (passed === 0) exitCode = exitCode || 1;
console.log(`\ntotal: ${passed} passed, ${failed} failed`);
process.exit(exitCode);

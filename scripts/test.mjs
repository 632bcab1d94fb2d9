#!/usr/bin/env node
// Runs every *.test.ts with Node's test runner through tsx: once on SQLite, once more on
// PostgreSQL when TEST_DATABASE_URL is set, and the suites where paths matter once more with the
// default issuer under a path (PREFIX_LANE). Ends with one combined "N passed, N failed" line.
// The lanes' files run in a few shard processes, all lanes in one `node --test`, as many at a time
// as there are cores (see shardsOf): loading the server's module graph through tsx costs about a
// second per process, which one process per file paid 200 times over. In a shard each file is a
// suite of its own, named "[lane] file" (its top-level hooks stay its own).
// Usage: npm test [-- path-filter ...]; TEST_LIST=1 lists the files per lane and runs none;
// TEST_FILE_TIMES=/some/file writes each file's time per lane (see file-times-reporter.mjs);
// TEST_ISSUER_PREFIX=/idp runs every lane under /idp (and no extra lane), TEST_ISSUER_PREFIX=/
// every lane at the root.
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
  'packages/server/test/abuse/isolation', // the abuse repositories (migration 030) per issuer
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
  'packages/server/test/webhooks/', // delivery rows written with each event (CTEs on PostgreSQL), claimed by range
  'packages/server/test/logout/backchannel-delivery', // logout-token fan-out rows (DISTINCT with casts on PostgreSQL)
  'packages/server/test/logout/session-end-tokens', // every cause of a session's end ends its tokens, on both
  'packages/server/test/account/remove-scope', // a grant narrowed by compare-and-set, its tokens checked against it
  'packages/server/test/admin/grant-scopes',
  'packages/server/test/account/anonymise-rows', // a closed account's rows deleted in its transaction, other issuers' kept
  'packages/server/test/claims/claims', // attribute reads across users and organizations in one statement (migration 036)
  'packages/server/test/claims/stripe', // Stripe events applied once and in order, in one transaction each
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
// PREFIX_LANE: with GATEHOUSE_ISSUER=http://localhost:3000/idp every endpoint, page, form,
// link, redirect and cookie Path must stay under /idp (test/helpers/prefix.ts, and the audit of
// every response in test/helpers/path-audit.ts). The PostgreSQL lane runs under that path; these
// run under it on SQLite too, after the root run: the suites that build or follow URLs, pages and
// cookies, and the libraries and browsers that discover and walk the issuer. The rest (the token
// grants, the store, the CLI) take the same paths through the same routing at the root. The whole
// suite under a path: TEST_ISSUER_PREFIX=/idp npm test.
const PREFIX_LANE = [
  'packages/server/test/authorize/',
  'packages/server/test/interactions/',
  'packages/server/test/account/',
  'packages/server/test/factors/', // the second-factor step and the account page's factor forms
  'packages/server/test/wallets/link', // the wallet pages' forms and redirects
  'packages/server/test/wallets/claim', // the wallets scope on the consent page
  'packages/server/test/signup/', // the sign-up pages, the mailed links and the email change
  'packages/server/test/password/forms',
  'packages/server/test/password/mail-language',
  'packages/server/test/password/reset-flow',
  'packages/server/test/password/return-to-sign-in',
  'packages/server/test/logout/',
  'packages/server/test/discovery/',
  'packages/server/test/http/discovery-is-truthful',
  'packages/server/test/pages/home',
  'packages/server/test/pages/languages',
  'packages/server/test/pages/page-polish',
  'packages/server/test/issuers/resolve',
  'packages/server/test/proxy/',
  'packages/server/test/e2e/',
  'packages/interop/test/', // openid-client, NextAuth, Auth.js, passport discovering the issuer at its path
  'packages/client/test/gatehouse-server', // the SDK against the server
  // The Chromium journeys through the example app come here too, and only here (see `journey`).
];
/** The path the extra lane and the PostgreSQL lane mount the default issuer under. */
const LANE_PREFIX = '/idp';
const matches = (list) => (file) => list.some((prefix) => file.startsWith(prefix));
const onBoth = matches(BOTH);
const postgresOnly = matches(POSTGRES_ONLY);
const inPrefixLane = matches(PREFIX_LANE);

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
// Set, the prefix is every lane's ('/' for the root) and there is no extra lane.
const chosenPrefix = process.env.TEST_ISSUER_PREFIX;
const prefixOf = (lanePrefix) => chosenPrefix ?? lanePrefix;
// The Chromium journeys through the example app run once, under the path: there every link,
// redirect and cookie a real browser follows must stay under /idp, which checks more than the
// root does; the suites of the same pages and forms run at the root and under the path.
const journey = (file) => /^examples\/example-business\/test\/[^/]*(journey|browser)[^/]*\.test\.ts$/.test(file);
const extraLane = chosenPrefix === undefined;
const runs = [
  {
    name: 'sqlite',
    env: { TEST_DATABASE_URL: '', TEST_ISSUER_PREFIX: prefixOf('') },
    files: files.filter((f) => !postgresOnly(f) && !(extraLane && journey(f))),
  },
];
if (postgresUrl) {
  runs.push({
    name: 'postgres',
    env: { TEST_DATABASE_URL: postgresUrl, TEST_ISSUER_PREFIX: prefixOf(LANE_PREFIX) },
    files: files.filter((f) => onBoth(f) || postgresOnly(f)),
  });
} else if (files.some(postgresOnly)) {
  console.log(`(${files.filter(postgresOnly).length} PostgreSQL-only test files skipped: set TEST_DATABASE_URL to run them)`);
}
if (extraLane) {
  // A file the PostgreSQL lane runs is under the prefix there already.
  const prefixed = files.filter((f) => (inPrefixLane(f) || journey(f)) && !postgresOnly(f) && !(postgresUrl && onBoth(f)));
  runs.push({ name: 'sqlite', env: { TEST_DATABASE_URL: '', TEST_ISSUER_PREFIX: LANE_PREFIX }, files: prefixed });
}
// "sqlite", "postgres under /idp": the backend, and the path the default issuer is under if any.
for (const run of runs) {
  const prefix = run.env.TEST_ISSUER_PREFIX;
  run.label = prefix && prefix !== '/' ? `${run.name} under ${prefix}` : run.name;
}
if (runs.every((r) => r.files.length === 0)) {
  console.error('no test files to run on these backends');
  process.exit(1);
}

// TEST_LIST=1 prints which files would run on which backend, in order, and runs nothing.
if (process.env.TEST_LIST) {
  for (const run of runs) console.log(`${run.label} (${run.files.length}):\n${run.files.map((f) => `  ${f}`).join('\n')}`);
  process.exit(0);
}

// Files that need a process of their own: what they check is process-wide (the hashing threads
// and argon2's parameters, which the harness lowers for every other test).
const OWN_PROCESS = ['packages/server/test/auth/hash-threads'];
const ownProcess = matches(OWN_PROCESS);

// Seconds per file and lane, as TEST_FILE_TIMES measured them (scripts/test-weights.mjs writes
// them): only which shard a file goes to depends on them, never what runs.
const WEIGHTS = JSON.parse(fs.readFileSync(path.join(root, 'scripts/test-weights.json'), 'utf8'));
const DEFAULT_WEIGHT = 2;
const concurrency = Math.max(2, os.availableParallelism());
const weightOf = (run) => {
  const own = WEIGHTS[run.label] ?? {};
  const backend = WEIGHTS[run.name] ?? {};
  return (file) => own[file] ?? backend[file] ?? DEFAULT_WEIGHT;
};
const laneWeight = (run) => run.files.reduce((sum, f) => sum + weightOf(run)(f), 0);

/**
 * Every lane's files in shards, one process each. A shard holds files of one lane and sets that
 * lane's environment before it imports them, so all lanes run in one `node --test` at once: no
 * core idles while a lane's last shard finishes before the next lane starts. Each lane gets
 * shards in proportion to its weight (four per core in all), filled heaviest file first into the
 * lightest shard (longest processing time first); the heaviest shards start first.
 * TEST_SHARDS=0 runs one process per file, as node --test does by default.
 */
function shardsOf(dir) {
  const perFile = process.env.TEST_SHARDS === '0';
  const wanted = process.env.TEST_SHARDS === undefined || perFile ? 4 * concurrency : Number(process.env.TEST_SHARDS);
  const total = runs.reduce((sum, run) => sum + laneWeight(run), 0) || 1;
  const shards = [];
  for (const run of runs) {
    if (run.files.length === 0) continue;
    const weight = weightOf(run);
    const alone = run.files.filter((f) => perFile || ownProcess(f));
    const shared = run.files.filter((f) => !alone.includes(f));
    const count = Math.min(shared.length, Math.max(1, Math.round((wanted * laneWeight(run)) / total)));
    const lane = Array.from({ length: count }, () => ({ run, files: [], total: 0 }));
    for (const file of [...shared].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
      const lightest = lane.reduce((min, s) => (s.total < min.total ? s : min));
      lightest.files.push(file);
      lightest.total += weight(file);
    }
    shards.push(...lane, ...alone.map((file) => ({ run, files: [file], total: weight(file) })));
  }
  shards.sort((a, b) => b.total - a.total);
  return shards.map((shard, i) => {
    const entry = path.join(dir, `shard-${i + 1}.mjs`);
    const env = Object.entries(shard.run.env).map(([k, v]) => `process.env[${JSON.stringify(k)}] = ${JSON.stringify(v)};`);
    const lines = shard.files.map(
      (file) =>
        `describe(${JSON.stringify(`[${shard.run.label}] ${file}`)}, async () => { await import(${JSON.stringify(new URL(`file://${path.join(root, file)}`).href)}); });`,
    );
    fs.writeFileSync(entry, `import { describe } from 'node:test';\n${env.join('\n')}\n${lines.join('\n')}\n`);
    return entry;
  });
}

for (const run of runs) if (run.files.length > 0) console.log(`${run.files.length} test files on ${run.label}`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-test-'));
const tap = path.join(dir, 'report.tap');
// TEST_FILE_TIMES=/some/file writes each file's time, per lane, slowest first.
const times = process.env.TEST_FILE_TIMES
  ? ['--test-reporter', path.join(root, 'scripts/file-times-reporter.mjs'), `--test-reporter-destination=${process.env.TEST_FILE_TIMES}`]
  : [];
const started = Date.now();
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...times,
    ...shardsOf(dir),
  ],
  { cwd: root, stdio: 'inherit' },
);
const report = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
// Per lane: its files (the top-level suites, "[lane] file") that passed and failed.
for (const run of runs) {
  if (run.files.length === 0) continue;
  const mark = `[${run.label}] `;
  const ok = report.split('\n').filter((l) => l.startsWith('ok ') && l.includes(` - ${mark}`)).length;
  const notOk = report.split('\n').filter((l) => l.startsWith('not ok ') && l.includes(` - ${mark}`)).length;
  console.log(`${run.label}: ${ok} files passed, ${notOk} failed`);
}
const passed = count('pass');
const failed = count('fail') + count('cancelled');
console.log(`\ntotal: ${passed} passed, ${failed} failed in ${Math.round((Date.now() - started) / 1000)} s`);
let exitCode = result.status ?? 1;
if (passed === 0 || failed > 0) exitCode = exitCode || 1;
process.exit(exitCode);

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { redactedDatabaseUrl } from '../../src/store/redacted-url.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { TEST_SECRET, openTestStore } from '../helpers/harness.js';
import type { CliResult } from './cli-harness.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/gatehouse.js');

/** Every command that works on the server's data: all of them but serve and migrate. */
const COMMANDS = [
  ['client', 'list'],
  ['client', 'show', 'gh_nothing'],
  ['user', 'list'],
  ['org', 'list'],
  ['keys', 'list'],
];

async function run(argv: string[], env: Record<string, string>): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), stdin: Readable.from([]), env };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('commands on a database that is not there', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-nodb-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("name the SQLite file they looked for and how to point at the server's, create nothing, and exit 1", async () => {
    const dataDir = path.join(root, 'elsewhere');
    for (const argv of COMMANDS) {
      const result = await run(argv, { GATEHOUSE_DATA_DIR: dataDir });
      assert.equal(result.code, 1, `${argv.join(' ')}: ${result.err}`);
      assert.equal(result.out, '');
      assert.ok(
        result.err.includes(`no Gatehouse database at ${path.join(dataDir, 'gatehouse.db')} (no such file; in GATEHOUSE_DATA_DIR=${dataDir})`),
        result.err,
      );
      assert.match(result.err, /GATEHOUSE_DATA_DIR \(the folder holding gatehouse\.db\) or GATEHOUSE_DATABASE_URL/);
      assert.equal(fs.existsSync(dataDir), false, `${argv.join(' ')} created ${dataDir}`);
    }
  });

  it('name the file of GATEHOUSE_DATABASE_URL', async () => {
    const file = path.join(root, 'named.db');
    const result = await run(['user', 'list', '--json'], { GATEHOUSE_DATABASE_URL: `sqlite:${file}`, GATEHOUSE_DATA_DIR: root });
    assert.equal(result.code, 1);
    assert.equal(result.out, '');
    assert.ok(result.err.startsWith(`gatehouse user: no Gatehouse database at ${file} (no such file; from GATEHOUSE_DATABASE_URL)`), result.err);
    assert.equal(fs.existsSync(file), false);
  });

  it("run from a folder that is not the server's, say which ./data they looked in", () => {
    const folder = fs.mkdtempSync(path.join(root, 'cwd-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')));
    const result = spawnSync(process.execPath, [BIN, 'client', 'list'], { cwd: folder, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.ok(
      result.stderr.includes(
        `no Gatehouse database at ${path.join(fs.realpathSync(folder), 'data', 'gatehouse.db')} (no such file; GATEHOUSE_DATA_DIR is not set, so ./data in the current folder)`,
      ),
      result.stderr,
    );
    assert.deepEqual(fs.readdirSync(folder), []);
  });

  it('work once `gatehouse migrate` has made the database', async () => {
    const env = { GATEHOUSE_DATA_DIR: path.join(root, 'migrated'), GATEHOUSE_SECRET: TEST_SECRET };
    assert.equal((await run(['migrate'], env)).code, 0);
    const listed = await run(['client', 'list'], env);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /No clients yet/);
  });
});

describe('commands on a database that was never migrated (the backend under test)', () => {
  it('name it, without its password, and exit 1', async () => {
    const { store, url, drop } = await openTestStore();
    try {
      // A password the server ignores (trust) or does not need, to show it is left out.
      const withPassword = url.startsWith('sqlite:') ? url : Object.assign(new URL(url), { password: 'not-for-output' }).href;
      const result = await run(['client', 'list'], { GATEHOUSE_DATABASE_URL: withPassword, GATEHOUSE_SECRET: TEST_SECRET });
      assert.equal(result.code, 1, result.err);
      assert.equal(result.out, '');
      const shown = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : redactedDatabaseUrl(withPassword);
      assert.ok(result.err.includes(`no Gatehouse database at ${shown} (`), result.err);
      assert.match(result.err, url.startsWith('sqlite:') ? /the file has no Gatehouse tables/ : /it has no Gatehouse tables, it was never migrated/);
      assert.doesNotMatch(result.err, /not-for-output/);
      const tables = await store.db.introspection.getTables();
      assert.deepEqual(
        tables.map((t) => t.name),
        [],
        'the command created tables',
      );
    } finally {
      await store.close();
      await drop();
    }
  });

  it('name a PostgreSQL database or SQLite file that does not exist', async () => {
    const url = process.env.TEST_DATABASE_URL;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-nodb-'));
    const missing = url ? Object.assign(new URL(url), { pathname: '/gatehouse_no_such_database' }).href : `sqlite:${path.join(dir, 'no-such-dir', 'x.db')}`;
    const result = await run(['keys', 'list'], { GATEHOUSE_DATABASE_URL: missing, GATEHOUSE_SECRET: TEST_SECRET });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(result.code, 1, result.err);
    assert.match(
      result.err,
      url
        ? /\/gatehouse_no_such_database \(PostgreSQL has no database of that name; from GATEHOUSE_DATABASE_URL\)/
        : /x\.db \(no such file; from GATEHOUSE_DATABASE_URL\)/,
    );
  });
});

describe('redactedDatabaseUrl', () => {
  it('masks the password of the user part and of the query', () => {
    assert.equal(redactedDatabaseUrl('postgres://gh:s3cret@db.example.com:5432/gatehouse'), 'postgres://gh:***@db.example.com:5432/gatehouse');
    assert.equal(
      redactedDatabaseUrl('postgresql://db.example.com/gatehouse?user=gh&password=s3cret&sslpassword=x&sslmode=require'),
      'postgresql://db.example.com/gatehouse?user=gh&password=***&sslpassword=***&sslmode=require',
    );
    assert.equal(redactedDatabaseUrl('postgres://:s3cret@db.example.com/gatehouse'), 'postgres://:***@db.example.com/gatehouse');
    assert.equal(redactedDatabaseUrl('not a url://u:p@h'), 'not a url://u:***@h');
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

function mode(file: string): string {
  return (fs.statSync(file).mode & 0o777).toString(8);
}

describe('the SQLite database file', () => {
  let root: string;
  let umask: number;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mode-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  // No umask at all: every bit the files get is one Gatehouse (or SQLite) chose.
  beforeEach(() => {
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('is created 0600, with its -wal and -shm, in a folder created 0700', async () => {
    const dir = path.join(root, 'new', 'data');
    const file = path.join(dir, 'gatehouse.db');
    const store = openStore(`sqlite:${file}`);
    try {
      await migrate(store.db);
      assert.ok(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`));
      assert.deepEqual([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)], ['600', '600', '600']);
      assert.deepEqual([mode(dir), mode(path.dirname(dir))], ['700', '700']);
    } finally {
      await store.close();
    }
  });

  it("is 0600 even under a umask that would take the owner's write bit", async () => {
    process.umask(0o277);
    const file = path.join(root, 'strict-umask.db');
    const store = openStore(`sqlite:${file}`);
    try {
      await migrate(store.db);
      assert.deepEqual([mode(file), mode(`${file}-wal`)], ['600', '600']);
    } finally {
      await store.close();
    }
  });

  it('keeps the mode an operator gave an existing file, and its WAL follows it', async () => {
    const file = path.join(root, 'existing.db');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o640);
    const store = openStore(`sqlite:${file}`);
    try {
      await migrate(store.db);
      assert.deepEqual([mode(file), mode(`${file}-wal`)], ['640', '640']);
    } finally {
      await store.close();
    }
  });
});

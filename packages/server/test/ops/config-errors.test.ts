import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { KNOWN_VARIABLES, editDistance, unknownVariableWarnings } from '../../src/config-names.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { redactedDatabaseUrl } from '../../src/store/redacted-url.js';
import { TEST_SECRET } from '../helpers/harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function run(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), stdin: Readable.from([]), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('configuration errors name the setting', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-config-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('knows every GATEHOUSE_* variable config.ts reads, and no other', () => {
    const source = fs.readFileSync(path.resolve(here, '../../src/config.ts'), 'utf8');
    const read = new Set([...source.matchAll(/'(GATEHOUSE_[A-Z0-9_]*)'|env\.(GATEHOUSE_[A-Z0-9_]+)/g)].map((m) => m[1] ?? m[2]));
    assert.deepEqual([...KNOWN_VARIABLES].sort(), [...read].sort());
  });

  it('warns about an unknown GATEHOUSE_* variable, naming the closest known one', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    const warnings = unknownVariableWarnings({
      GATEHOUSE_ISSUR: 'x',
      GATEHOUSE_DATABASE_ULR: 'y',
      GATEHOUSE_ISSUER: 'ok',
      GATEHOUSE_CLIENT_ID: 'the example app',
      HOME: '/root',
    });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] as string, /^GATEHOUSE_DATABASE_ULR .*did you mean GATEHOUSE_DATABASE_URL\?/);
    assert.match(warnings[1] as string, /^GATEHOUSE_ISSUR .*did you mean GATEHOUSE_ISSUER\?/);
  });

  it('an unreachable database is named with its URL, without its password', async () => {
    const config = loadConfig({
      GATEHOUSE_DATABASE_URL: 'postgres://gh:hunter2secret@127.0.0.1:42997/gh_ops',
      GATEHOUSE_DATA_DIR: dir,
      GATEHOUSE_SECRET: TEST_SECRET,
    });
    await assert.rejects(createServices(config), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.variable, 'GATEHOUSE_DATABASE_URL');
      assert.match(error.message, /cannot reach the database at postgres:\/\/gh:\*\*\*@127\.0\.0\.1:42997\/gh_ops \(ECONNREFUSED\)/);
      assert.ok(!error.message.includes('hunter2secret'));
      return true;
    });
    assert.equal(redactedDatabaseUrl('postgres://a:b@h/db'), 'postgres://a:***@h/db');
    assert.equal(redactedDatabaseUrl('postgres://h/db'), 'postgres://h/db');
  });

  it('a data folder that cannot be created is GATEHOUSE_DATA_DIR', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    const config = loadConfig({ GATEHOUSE_DATA_DIR: path.join(file, 'data'), GATEHOUSE_SECRET: TEST_SECRET });
    await assert.rejects(createServices(config), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.variable, 'GATEHOUSE_DATA_DIR');
      assert.match(error.message, /the data folder .* cannot be created or written \(ENOTDIR/);
      return true;
    });
  });

  it('a data folder the secret file cannot be written to is GATEHOUSE_DATA_DIR, whatever the database', async () => {
    const file = path.join(dir, 'another-file');
    fs.writeFileSync(file, '');
    // An in-memory database, so only the secret file needs the folder.
    const config = loadConfig({ GATEHOUSE_DATABASE_URL: 'sqlite::memory:', GATEHOUSE_DATA_DIR: path.join(file, 'data') });
    await assert.rejects(createServices(config), (error: unknown) => error instanceof ConfigError && error.variable === 'GATEHOUSE_DATA_DIR');
  });

  it('a port in use is PORT, with exit code 78 and the unknown-variable warning first', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const env = {
        PORT: String(port),
        GATEHOUSE_HOST: '127.0.0.1',
        GATEHOUSE_DATA_DIR: path.join(dir, 'serve'),
        GATEHOUSE_SECRET: TEST_SECRET,
        GATEHOUSE_LOG_LEVEL: 'warn',
        GATEHOUSE_TRUST_PROXIES: '1',
      };
      const result = await run(['serve'], env);
      assert.equal(result.code, 78, result.err);
      assert.match(result.err, /warning: GATEHOUSE_TRUST_PROXIES .*did you mean GATEHOUSE_TRUST_PROXY\?/);
      assert.match(result.err, new RegExp(`configuration error: PORT: port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('GATEHOUSE_LOG_LEVEL and GATEHOUSE_METRICS_PORT are checked', () => {
    assert.equal(loadConfig({}).logLevel, 'info');
    assert.equal(loadConfig({ GATEHOUSE_LOG_LEVEL: 'DEBUG' }).logLevel, 'debug');
    assert.throws(
      () => loadConfig({ GATEHOUSE_LOG_LEVEL: 'verbose' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'GATEHOUSE_LOG_LEVEL',
    );
    assert.deepEqual(loadConfig({}).metrics, { mode: 'off' });
    assert.deepEqual(loadConfig({ GATEHOUSE_METRICS: 'on' }).metrics, { mode: 'main' });
    assert.deepEqual(loadConfig({ GATEHOUSE_METRICS_PORT: '42100' }).metrics, { mode: 'port', port: 42100 });
    assert.throws(
      () => loadConfig({ GATEHOUSE_METRICS_PORT: 'x' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'GATEHOUSE_METRICS_PORT',
    );
  });
});

describe('gatehouse migrate names the setting too', () => {
  it('an unreachable database: exit 78, GATEHOUSE_DATABASE_URL, no password', async () => {
    const result = await run(['migrate'], { GATEHOUSE_DATABASE_URL: 'postgres://gh:hunter2secret@127.0.0.1:42996/gh_ops' });
    assert.equal(result.code, 78, result.err);
    assert.match(result.err, /configuration error: GATEHOUSE_DATABASE_URL: cannot reach the database at postgres:\/\/gh:\*\*\*@127\.0\.0\.1:42996\/gh_ops/);
    assert.ok(!result.err.includes('hunter2secret'));
  });
});

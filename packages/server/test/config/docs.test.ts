import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.resolve(here, '../../src/config.ts'), 'utf8');
const docs = fs.readFileSync(path.resolve(here, '../../../../docs/configuration.md'), 'utf8');

describe('configuration', () => {
  it('documents every variable config.ts reads, and no other', () => {
    const read = new Set([...source.matchAll(/'((?:GATEHOUSE_|PORT)[A-Z0-9_]*)'|env\.([A-Z0-9_]+)/g)].map((m) => m[1] ?? m[2]));
    const documented = new Set([...docs.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    assert.deepEqual([...documented].sort(), [...read].sort());
  });

  it('stops with a message naming the variable for a wrong value', () => {
    const cases: [Record<string, string>, string][] = [
      [{ GATEHOUSE_ISSUER: 'http://id.example.com' }, 'GATEHOUSE_ISSUER'],
      [{ GATEHOUSE_ISSUER: 'https://id.example.com/?x=1' }, 'GATEHOUSE_ISSUER'],
      [{ PORT: 'eighty' }, 'PORT'],
      [{ GATEHOUSE_ACCESS_TOKEN_TTL: '5' }, 'GATEHOUSE_ACCESS_TOKEN_TTL'],
      [{ GATEHOUSE_DATABASE_URL: 'mysql://x' }, 'GATEHOUSE_DATABASE_URL'],
      [{ GATEHOUSE_SECRET: 'short' }, 'GATEHOUSE_SECRET'],
      [{ GATEHOUSE_TRUST_PROXY: 'maybe' }, 'GATEHOUSE_TRUST_PROXY'],
      [{ GATEHOUSE_CLIENT_CACHE: 'sometimes' }, 'GATEHOUSE_CLIENT_CACHE'],
      [{ GATEHOUSE_CLIENT_CACHE_MAX_AGE: '0' }, 'GATEHOUSE_CLIENT_CACHE_MAX_AGE'],
      [{ GATEHOUSE_CLIENT_CACHE_MAX_AGE: '86400' }, 'GATEHOUSE_CLIENT_CACHE_MAX_AGE'],
      [{ GATEHOUSE_HASH_THREADS: '0' }, 'GATEHOUSE_HASH_THREADS'],
      [{ GATEHOUSE_HASH_THREADS: 'all' }, 'GATEHOUSE_HASH_THREADS'],
      [{ GATEHOUSE_BRAND_COLOR: 'blue' }, 'GATEHOUSE_BRAND_COLOR'],
    ];
    for (const [env, variable] of cases) {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.startsWith(variable),
      );
    }
  });

  it('accepts an https issuer and loopback http issuers, without a trailing slash', () => {
    assert.equal(loadConfig({ GATEHOUSE_ISSUER: 'https://id.example.com/' }).issuer, 'https://id.example.com');
    assert.equal(loadConfig({ GATEHOUSE_ISSUER: 'http://127.0.0.1:8080' }).issuer, 'http://127.0.0.1:8080');
    assert.equal(loadConfig({}).issuer, 'http://localhost:3000');
    assert.equal(loadConfig({ PORT: '8080' }).issuer, 'http://localhost:8080', 'unset, the issuer follows PORT');
    assert.equal(loadConfig({ PORT: '8080', GATEHOUSE_ISSUER: 'https://id.example.com' }).issuer, 'https://id.example.com');
    assert.equal(loadConfig({}).codeTtl, 60);
    assert.equal(loadConfig({}).accessTokenTtl, 900);
    assert.equal(loadConfig({}).refreshTokenTtl, 30 * 86_400);
  });

  it('hashes on at most one thread per core and at most four, unless told otherwise', () => {
    assert.equal(loadConfig({}).hashThreads, Math.min(os.availableParallelism(), 4));
    assert.equal(loadConfig({ GATEHOUSE_HASH_THREADS: '12' }).hashThreads, 12);
  });
});

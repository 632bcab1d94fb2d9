import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../../src/tokens/random.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';
import { type CliContext, REDIRECT_URI, createCliContext } from './cli-harness.js';

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(SERVER, 'bin/gatehouse.js');
// Only against a hang: a loaded machine has been seen to take 17 s for one of these commands.
const CHILD_GUARD_MS = 2 * WAIT_GUARD_MS;

/** The parent's environment minus any Gatehouse settings, plus the test's own. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')));
  return { ...base, ...env };
}

describe('the gatehouse bin, as documented', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext();
  });
  after(() => cli.close());

  it('client create ... --json prints {client_id, client_secret} on stdout', async () => {
    const result = spawnSync(
      process.execPath,
      [
        BIN,
        'client',
        'create',
        '--name',
        'Example Business',
        '--redirect-uri',
        REDIRECT_URI,
        '--redirect-uri',
        'http://localhost:4000/api/auth/callback/gatehouse',
        '--scope',
        'openid profile email',
        '--grant-types',
        'authorization_code,refresh_token,client_credentials',
        '--first-party',
        '--json',
      ],
      { env: childEnv(cli.env), encoding: 'utf8', timeout: CHILD_GUARD_MS },
    );
    assert.equal(result.status, 0, result.signal ? `killed by ${result.signal} at the guard` : result.stderr);
    const created = JSON.parse(result.stdout) as { client_id: string; client_secret: string };
    assert.deepEqual(Object.keys(created).sort(), ['client_id', 'client_secret']);
    const stored = await cli.repos.clients.find(created.client_id);
    assert.equal(stored?.secretHash, sha256(created.client_secret));
    assert.equal(stored?.firstParty, true);
  });

  it('echo "$PASSWORD" | npx gatehouse user create ... --password-stdin --json prints {sub}', async () => {
    const result = spawnSync(
      'sh',
      ['-c', 'echo "$PASSWORD" | npx gatehouse user create --email ada@example.com --name "Ada Lovelace" --password-stdin --json'],
      { cwd: SERVER, env: childEnv({ ...cli.env, PASSWORD: 'correct horse battery staple' }), encoding: 'utf8', timeout: CHILD_GUARD_MS },
    );
    assert.equal(result.status, 0, result.signal ? `killed by ${result.signal} at the guard` : result.stderr);
    const { sub } = JSON.parse(result.stdout) as { sub: string };
    const user = await cli.repos.users.findById(sub);
    assert.equal(user?.email, 'ada@example.com');
    assert.ok(user?.passwordHash?.startsWith('$argon2id$'));
  });

  it('exits 2 on a usage mistake', () => {
    const result = spawnSync(process.execPath, [BIN, 'client', 'create', '--name', 'X', '--redirect-uri', 'http://example.com/cb'], {
      env: childEnv(cli.env),
      encoding: 'utf8',
      timeout: CHILD_GUARD_MS,
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /must use https/);
  });
});

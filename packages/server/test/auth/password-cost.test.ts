import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_PASSWORD_COST, type PasswordCost, hashPassword, needsRehash, setPasswordCost, verifyPassword } from '../../src/auth/password.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { loginError, openLoginPage, postForm } from '../helpers/authorize-pages.js';
import { authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { createCliContext } from '../cli/cli-harness.js';

// Keycloak's default, one of OWASP's settings of equal strength: cheap enough for tests.
const CONFIGURED = { GATEHOUSE_ARGON2_MEMORY_KIB: '7168', GATEHOUSE_ARGON2_ITERATIONS: '5' };
const PARAMS = '$argon2id$v=19$m=7168,t=5,p=1$';
const DEFAULT_PARAMS = '$argon2id$v=19$m=19456,t=2,p=1$';

/** A hash made with `cost`, as a server configured so would have stored it. */
async function hashWith(cost: PasswordCost, password: string, restore: PasswordCost): Promise<string> {
  setPasswordCost(cost);
  try {
    return await hashPassword(password);
  } finally {
    setPasswordCost(restore);
  }
}

describe('argon2id cost: read from the environment, refused below OWASP minimum', () => {
  const base = { GATEHOUSE_ISSUER: 'http://localhost:3000', GATEHOUSE_SECRET: 'x'.repeat(32) };

  it('defaults to 19,456 KiB over 2 iterations', () => {
    assert.deepEqual(loadConfig(base).passwordCost, { memoryKib: 19_456, iterations: 2 });
    assert.deepEqual(DEFAULT_PASSWORD_COST, { memoryKib: 19_456, iterations: 2 });
  });

  it("accepts each of OWASP's settings of equal strength", () => {
    for (const [memory, iterations] of [
      [47_104, 1],
      [19_456, 2],
      [12_288, 3],
      [9_216, 4],
      [7_168, 5],
    ] as const) {
      const config = loadConfig({ ...base, GATEHOUSE_ARGON2_MEMORY_KIB: String(memory), GATEHOUSE_ARGON2_ITERATIONS: String(iterations) });
      assert.deepEqual(config.passwordCost, { memoryKib: memory, iterations });
    }
  });

  it('refuses less memory than 7 MiB, a weaker product, and values that are not whole numbers', () => {
    const refused = (env: Record<string, string>, variable: string, message: RegExp): void => {
      assert.throws(
        () => loadConfig({ ...base, ...env }),
        (error: unknown) => error instanceof ConfigError && error.variable === variable && message.test(error.message),
      );
    };
    refused({ GATEHOUSE_ARGON2_MEMORY_KIB: '4096', GATEHOUSE_ARGON2_ITERATIONS: '10' }, 'GATEHOUSE_ARGON2_MEMORY_KIB', /between 7168 and 1048576/);
    refused({ GATEHOUSE_ARGON2_MEMORY_KIB: '7168' }, 'GATEHOUSE_ARGON2_ITERATIONS', /weaker than OWASP's minimum.*35840/);
    refused({ GATEHOUSE_ARGON2_MEMORY_KIB: '19456', GATEHOUSE_ARGON2_ITERATIONS: '1' }, 'GATEHOUSE_ARGON2_ITERATIONS', /weaker/);
    refused({ GATEHOUSE_ARGON2_ITERATIONS: '0' }, 'GATEHOUSE_ARGON2_ITERATIONS', /between 1 and 64/);
    refused({ GATEHOUSE_ARGON2_MEMORY_KIB: '19 MiB' }, 'GATEHOUSE_ARGON2_MEMORY_KIB', /not a whole number/);
  });
});

describe('argon2id cost: which stored hashes a sign-in replaces', () => {
  after(() => setPasswordCost(DEFAULT_PASSWORD_COST));

  it('reads the variant, version and parameters of the PHC string', () => {
    setPasswordCost(DEFAULT_PASSWORD_COST);
    const salted = 'c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
    assert.equal(needsRehash(`${DEFAULT_PARAMS}${salted}`), false);
    assert.equal(needsRehash(`${PARAMS}${salted}`), true, 'other memory and iterations');
    assert.equal(needsRehash(`$argon2id$v=19$m=19456,t=2,p=2$${salted}`), true, 'other lanes');
    assert.equal(needsRehash(`$argon2i$v=19$m=19456,t=2,p=1$${salted}`), true, 'argon2i');
    assert.equal(needsRehash(`$argon2id$v=16$m=19456,t=2,p=1$${salted}`), true, 'version 1.0');
    assert.equal(needsRehash(`$argon2id$m=19456,t=2,p=1$${salted}`), true, 'no version: 1.0');
    setPasswordCost({ memoryKib: 7_168, iterations: 5 });
    assert.equal(needsRehash(`${PARAMS}${salted}`), false);
    assert.equal(needsRehash(`${DEFAULT_PARAMS}${salted}`), true, 'a lowered cost is applied too');
    for (const unreadable of ['', 'not a hash', '$2b$12$abcdefghijklmnopqrstuu', `$argon2id$v=19$m=x,t=2,p=1$${salted}`]) {
      assert.equal(needsRehash(unreadable), false, unreadable);
    }
  });

  it('hashes with the cost set last, and an unknown email still costs a verification', async () => {
    setPasswordCost({ memoryKib: 7_168, iterations: 5 });
    assert.ok((await hashPassword('x')).startsWith(PARAMS));
    assert.equal(await verifyPassword(null, 'x'), false);
    setPasswordCost(DEFAULT_PASSWORD_COST);
    assert.ok((await hashPassword('x')).startsWith(DEFAULT_PARAMS));
    assert.equal(await verifyPassword(null, 'x'), false);
  });
});

describe('argon2id cost: a sign-in replaces a hash made with other parameters', () => {
  let ctx: TestContext;
  let clientId: string;
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  const logger: Logger = { log: (_level, event, fields = {}) => events.push({ event, fields }) };

  before(async () => {
    ctx = await createTestContext(CONFIGURED, { logger });
    clientId = (await createTestClient(ctx, { firstParty: true })).client.id;
  });
  after(async () => {
    await ctx.close();
    setPasswordCost(DEFAULT_PASSWORD_COST);
  });

  async function signIn(email: string, password = TEST_PASSWORD): Promise<Response> {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(clientId).url);
    return postForm(browser, page, '/login', { email, password });
  }

  /** A user whose stored hash was made with the old default cost. */
  async function userWithOldHash(): Promise<{ id: string; email: string; oldHash: string }> {
    const user = await createTestUser(ctx);
    const oldHash = await hashWith(DEFAULT_PASSWORD_COST, TEST_PASSWORD, ctx.config.passwordCost);
    await ctx.scope.repos.users.setPasswordHash(user.id, oldHash);
    return { id: user.id, email: user.email, oldHash };
  }

  const storedHash = async (id: string): Promise<string | null | undefined> => (await ctx.scope.repos.users.findById(id))?.passwordHash;

  it('stores a hash with the configured cost after the right password, which goes on working', async () => {
    const { id, email, oldHash } = await userWithOldHash();
    assert.ok(oldHash.startsWith(DEFAULT_PARAMS));
    assert.equal((await signIn(email)).status, 303);
    const upgraded = await storedHash(id);
    assert.ok(upgraded?.startsWith(PARAMS), upgraded ?? 'no hash');
    assert.ok(events.some((e) => e.event === 'password_rehashed' && e.fields.user === id));
    assert.ok(!JSON.stringify(events).includes(TEST_PASSWORD), 'the password is never logged');
    assert.equal((await signIn(email)).status, 303, 'the new hash matches the same password');
    assert.equal(await storedHash(id), upgraded, 'a current hash is left as it is');
  });

  it('leaves the hash alone after a wrong password', async () => {
    const { id, email, oldHash } = await userWithOldHash();
    const res = await signIn(email, 'not the password');
    assert.equal(res.status, 401);
    assert.equal(loginError(await res.text()), 'The email or password is incorrect.');
    assert.equal(await storedHash(id), oldHash);
  });

  it('never overwrites a password set since the sign-in read the old one', async () => {
    const { id, oldHash } = await userWithOldHash();
    const changed = await hashPassword('a newer password');
    await ctx.scope.repos.users.setPasswordHash(id, changed);
    assert.equal(await ctx.scope.repos.users.replacePasswordHash(id, oldHash, await hashPassword(TEST_PASSWORD)), false);
    assert.equal(await storedHash(id), changed);
  });

  it('signs in anyway when the new hash cannot be stored, and logs why without the password', async () => {
    const { id, email, oldHash } = await userWithOldHash();
    const users = ctx.scope.repos.users;
    const original = users.replacePasswordHash.bind(users);
    users.replacePasswordHash = () => Promise.reject(new Error('database unavailable'));
    try {
      assert.equal((await signIn(email)).status, 303);
    } finally {
      users.replacePasswordHash = original;
    }
    assert.equal(await storedHash(id), oldHash);
    const failed = events.find((e) => e.event === 'password_rehash_failed' && e.fields.user === id);
    assert.match(String(failed?.fields.error), /database unavailable/);
    assert.equal((await signIn(email)).status, 303, 'the next sign-in tries again');
    assert.ok((await storedHash(id))?.startsWith(PARAMS));
  });
});

describe('argon2id cost: the CLI hashes with the configured cost', () => {
  after(() => setPasswordCost(DEFAULT_PASSWORD_COST));

  it('user create and user set-password store hashes with it', async () => {
    const cli = await createCliContext(CONFIGURED);
    try {
      const { sub } = await cli.json<{ sub: string }>(['user', 'create', '--email', 'cost@example.com', '--password-stdin'], ['first password\n']);
      assert.ok((await cli.repos.users.findById(sub))?.passwordHash?.startsWith(PARAMS));
      setPasswordCost(DEFAULT_PASSWORD_COST);
      await cli.json(['user', 'set-password', sub, '--password-stdin'], ['second password\n']);
      const stored = (await cli.repos.users.findById(sub))?.passwordHash ?? null;
      assert.ok(stored?.startsWith(PARAMS), stored ?? 'no hash');
      assert.equal(await verifyPassword(stored, 'second password'), true);
    } finally {
      await cli.close();
    }
  });
});

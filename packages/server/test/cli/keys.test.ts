import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keyTiming } from '../../src/tokens/keys.js';
import { type CliContext, createCliContext } from './cli-harness.js';

interface KeyView {
  kid: string;
  alg: string;
  status: string;
  created_at: string;
  activates_at: string;
  retires_at: string | null;
  expires_at: string | null;
}

interface Rotated {
  rotated: { alg: string; kid: string; activates_at: string }[];
}

const LEAD = 300;

describe('gatehouse keys', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext({ GATEHOUSE_KEY_PUBLISH_LEAD: String(LEAD) });
  });
  after(() => cli.close());

  it('lists one signing key per algorithm on a fresh database', async () => {
    const keys = await cli.json<KeyView[]>(['keys', 'list']);
    assert.deepEqual(keys.map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'RS256']);
    for (const key of keys) {
      assert.equal(key.status, 'signing');
      assert.equal(key.retires_at, null);
      assert.equal(key.expires_at, null);
      assert.match(key.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    }
    const text = await cli.run(['keys', 'list']);
    assert.equal(text.code, 0);
    assert.match(text.out, /^KID\s+ALG\s+STATUS/);
    for (const key of keys) assert.ok(text.out.includes(key.kid));
  });

  it('rotates one algorithm: the new key is pending until the publish lead has passed', async () => {
    const before = await cli.json<KeyView[]>(['keys', 'list']);
    const oldEs = before.find((k) => k.alg === 'ES256' && k.status === 'signing');
    assert.ok(oldEs);
    // Bracketed by the clock before and after the command (whole seconds, as it stores them),
    // so however long the command takes, the activation is the lead after it ran.
    const started = Math.floor(Date.now() / 1000) * 1000;
    const { rotated } = await cli.json<Rotated>(['keys', 'rotate', '--alg', 'ES256']);
    const ended = Math.ceil(Date.now() / 1000) * 1000;
    assert.equal(rotated.length, 1);
    const [entry] = rotated;
    assert.equal(entry?.alg, 'ES256');
    const activates = Date.parse(entry?.activates_at ?? '');
    assert.ok(activates >= started + LEAD * 1000 && activates <= ended + LEAD * 1000, `activates at ${entry?.activates_at}, ${LEAD} s after the rotation`);

    const after = await cli.json<KeyView[]>(['keys', 'list']);
    const fresh = after.find((k) => k.kid === entry?.kid);
    assert.equal(fresh?.status, 'pending');
    const old = after.find((k) => k.kid === oldEs.kid);
    assert.equal(old?.status, 'signing', 'the old key signs until the new one starts');
    assert.equal(old?.retires_at, entry?.activates_at);
    assert.ok(old?.expires_at);
  });

  it('with --now, the new key signs at once and the old one is retired', async () => {
    const { rotated } = await cli.json<Rotated>(['keys', 'rotate', '--alg', 'RS256', '--now']);
    const [entry] = rotated;
    assert.ok(entry);
    const keys = await cli.json<KeyView[]>(['keys', 'list']);
    const signing = keys.filter((k) => k.alg === 'RS256' && k.status === 'signing');
    assert.deepEqual(
      signing.map((k) => k.kid),
      [entry.kid],
    );
    assert.ok(
      keys.some((k) => k.alg === 'RS256' && k.status === 'retired' && k.expires_at),
      'the old key stays published until it expires',
    );
  });

  it('rotates all three algorithms without --alg, and says when they start signing', async () => {
    const { rotated } = await cli.json<Rotated>(['keys', 'rotate']);
    assert.deepEqual(
      rotated.map((r) => r.alg),
      ['RS256', 'ES256', 'EdDSA'],
    );
    assert.equal(new Set(rotated.map((r) => r.kid)).size, 3);
    const text = await cli.run(['keys', 'rotate', '--alg', 'EdDSA']);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /EdDSA\s+kid \S+\s+signs from \d{4}-/);
    assert.match(text.out, new RegExp(`${LEAD} s publish lead`));
    // Not "published at once": running servers see the key when they next read their keys.
    assert.doesNotMatch(text.out, /published in the JWKS now|at once/);
    assert.match(text.out, new RegExp(`Running servers publish it in their JWKS when they next read their keys: within ${keyTiming(LEAD).cacheSeconds} s`));
    const now = await cli.run(['keys', 'rotate', '--alg', 'EdDSA', '--now']);
    assert.match(now.out, new RegExp(`when they next read their keys: within ${keyTiming(LEAD).cacheSeconds} s`));
  });

  it('rejects an unknown algorithm or argument with exit 2', async () => {
    const count = (await cli.json<KeyView[]>(['keys', 'list'])).length;
    for (const argv of [['keys', 'rotate', '--alg', 'HS256'], ['keys', 'rotate', 'ES256'], ['keys', 'list', '--all'], ['keys'], ['keys', 'delete']]) {
      const result = await cli.run(argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.equal(result.out, '');
    }
    assert.equal((await cli.json<KeyView[]>(['keys', 'list'])).length, count);
    const help = await cli.run(['keys', 'rotate', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--alg RS256\|ES256\|EdDSA/);
  });
});

describe('gatehouse keys retire', () => {
  let cli: CliContext;
  before(async () => {
    cli = await createCliContext({ GATEHOUSE_KEY_PUBLISH_LEAD: String(LEAD) });
  });
  after(() => cli.close());
  // A kid may start with "-": after "--" it is never taken for an option.
  const retire = (kid: string, json = false) => cli.run(['keys', 'retire', ...(json ? ['--json'] : []), '--', kid]);
  const es256 = async (): Promise<KeyView[]> => (await cli.json<KeyView[]>(['keys', 'list'])).filter((k) => k.alg === 'ES256');

  it('refuses the only signing key of its algorithm, saying to rotate first', async () => {
    const [only] = await es256();
    assert.ok(only);
    const refused = await retire(only.kid);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /only ES256 key signing.*rotate first/);
    assert.equal((await es256())[0]?.status, 'signing');
  });

  it('retires a key at once; the pending replacement signs from now, and both stay published', async () => {
    const [old] = await es256();
    const { rotated } = await cli.json<Rotated>(['keys', 'rotate', '--alg', 'ES256']);
    const next = rotated[0]?.kid;
    const answer = await retire(old?.kid ?? '', true);
    assert.equal(answer.code, 0, answer.err);
    const retired = JSON.parse(answer.out) as { kid: string; status: string; activated: string | null; expires_at: string };
    assert.deepEqual([retired.kid, retired.status, retired.activated], [old?.kid, 'retired', next]);
    assert.ok(Date.parse(retired.expires_at) > Date.now(), 'still published until its tokens expire');
    const keys = await es256();
    assert.deepEqual(
      keys.map((k) => [k.kid, k.status]),
      [
        [old?.kid, 'retired'],
        [next, 'signing'],
      ],
    );
    const again = await retire(old?.kid ?? '');
    assert.equal(again.code, 1);
    assert.match(again.err, /already retired/);
    const text = await retire(next ?? '');
    assert.equal(text.code, 1, 'the replacement is now the only one');
  });

  it('exits 1 for an unknown kid and 2 without one', async () => {
    const unknown = await retire('no-such-kid');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no signing key with kid "no-such-kid"/);
    assert.equal((await cli.run(['keys', 'retire'])).code, 2);
    const help = await cli.run(['keys', 'retire', '--help']);
    assert.match(help.out, /rotate --alg ALG/);
  });
});

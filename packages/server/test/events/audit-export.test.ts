import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXPORT_PAGE, parseTimeFlag } from '../../src/cli/audit-export.js';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import { type CliContext, createCliContext } from '../cli/cli-harness.js';

const DAY = 86_400;

interface Line {
  id: string;
  type: string;
  time: string;
  subject: { user_id: string | null };
  data: Record<string, unknown>;
}

// `gatehouse audit export`: JSON lines, oldest first, read page by page (more events than
// pages hold here), filtered by time and type.
describe('gatehouse audit export', () => {
  let cli: CliContext;
  const now = Math.floor(Date.now() / 1000);

  before(async () => {
    cli = await createCliContext();
    const row = (i: number, at: number, type: string) => ({
      id: `e-${String(i).padStart(6, '0')}`,
      issuer_id: DEFAULT_ISSUER_ID,
      type,
      occurred_at: at,
      actor: 'cli',
      user_id: `u${i}`,
      client_id: null,
      payload: type === 'user.updated' ? '{"changed":["name"]}' : '{}',
      address: null,
    });
    const rows = [
      ...Array.from({ length: 10 }, (_, i) => row(i, now - 10 * DAY, 'user.created')),
      ...Array.from({ length: EXPORT_PAGE * 2 + 7 }, (_, i) => row(100 + i, now - 3 * DAY + Math.floor(i / 3), i % 2 ? 'user.updated' : 'user.disabled')),
    ];
    for (let i = 0; i < rows.length; i += 200)
      await cli.store.db
        .insertInto('events')
        .values(rows.slice(i, i + 200))
        .execute();
  });
  after(() => cli.close());

  const lines = (out: string): Line[] =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);

  it('writes every event since a duration back, oldest first, one JSON object a line, across pages', async () => {
    const result = await cli.run(['audit', 'export', '--since', '7d']);
    assert.equal(result.code, 0, result.err);
    const got = lines(result.out).filter((l) => l.id.startsWith('e-'));
    assert.equal(got.length, EXPORT_PAGE * 2 + 7);
    const order = got.map((l) => `${l.time} ${l.id}`);
    assert.deepEqual(order, [...order].sort(), 'oldest first, ties by id');
    assert.equal(new Set(got.map((l) => l.id)).size, got.length, 'no event twice at a page boundary');
    const first = got[0];
    assert.ok(first);
    assert.equal(first.subject.user_id, 'u100');
    assert.deepEqual(first.data, {});
  });

  it('--until and --type narrow it; ISO times work too', async () => {
    const since = new Date((now - 11 * DAY) * 1000).toISOString();
    const until = new Date((now - 9 * DAY) * 1000).toISOString();
    const old = lines((await cli.run(['audit', 'export', '--since', since, '--until', until])).out);
    assert.deepEqual(
      old.map((l) => l.type),
      Array(10).fill('user.created'),
    );
    const updated = lines((await cli.run(['audit', 'export', '--since', '30d', '--type', 'user.updated,user.created'])).out);
    assert.ok(updated.length > 10);
    assert.ok(updated.every((l) => l.type === 'user.updated' || l.type === 'user.created'));
  });

  it('refuses a missing --since, an unknown type and a time it cannot read, with exit code 2', async () => {
    for (const argv of [
      ['audit', 'export'],
      ['audit', 'export', '--since', '7d', '--type', 'user.nope'],
      ['audit', 'export', '--since', 'yesterday'],
      ['audit', 'export', '--since', '1d', '--until', '2d'],
    ]) {
      const result = await cli.run(argv);
      assert.equal(result.code, 2, `${argv.join(' ')}: ${result.out}`);
    }
  });

  it('reads durations in seconds, minutes, hours and days back from now', () => {
    assert.equal(parseTimeFlag('since', '45s', 1000), 955);
    assert.equal(parseTimeFlag('since', '2m', 1000), 880);
    assert.equal(parseTimeFlag('since', '1h', 10_000), 6400);
    assert.equal(parseTimeFlag('since', '1d', 100_000), 13_600);
    assert.equal(parseTimeFlag('since', '2026-12-01T00:00:00Z', 0), Date.parse('2026-12-01T00:00:00Z') / 1000);
  });
});

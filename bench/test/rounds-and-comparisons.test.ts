import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ServerRun, comparedWith } from '../lib/report.js';
import { mergeRounds } from '../lib/rounds.js';
import type { ScenarioResult } from '../lib/scenario.js';

function round(key: string, count: number, seconds: number, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    key,
    name: key,
    unit: 'request',
    count,
    errors: 0,
    rps: count / seconds,
    p50: 1,
    p99: 2,
    cpuS: 1,
    mainCpuS: 0.5,
    otherCores: 0,
    peakRssMb: 100,
    ...extra,
  };
}

describe('bench: rounds of a scenario become one row', () => {
  it('sums counts, time and CPU; rate over the total time; p50 weighted by count; worst p99 and peak RSS', () => {
    const [merged, ...rest] = mergeRounds([
      round('refresh', 100, 4, { p50: 10, p99: 30, cpuS: 2, mainCpuS: 1, peakRssMb: 120, otherCores: 0.5 }),
      round('refresh', 300, 4, { p50: 20, p99: 25, cpuS: 3, mainCpuS: 2, peakRssMb: 110, otherCores: 0.1 }),
    ]);
    assert.equal(rest.length, 0);
    assert.equal(merged!.count, 400);
    assert.equal(merged!.rps, 50);
    assert.equal(merged!.p50, 17.5);
    assert.equal(merged!.p99, 30);
    assert.equal(merged!.cpuS, 5);
    assert.equal(merged!.mainCpuS, 3);
    assert.equal(merged!.peakRssMb, 120);
    assert.ok(Math.abs(merged!.otherCores - 0.3) < 1e-9, 'other cores weighted by time');
  });

  it('keeps scenarios apart, adds errors, keeps the first error and the database CPU only when every round has it', () => {
    const merged = mergeRounds([
      round('userinfo', 10, 1, { databaseCpuS: 1 }),
      round('introspection', 10, 1),
      round('userinfo', 10, 1, { errors: 2, firstError: 'boom', databaseCpuS: 2 }),
      round('introspection', 10, 1, { databaseCpuS: 5 }),
    ]);
    const userinfo = merged.find((r) => r.key === 'userinfo')!;
    const introspection = merged.find((r) => r.key === 'introspection')!;
    assert.equal(merged.length, 2);
    assert.equal(userinfo.errors, 2);
    assert.equal(userinfo.firstError, 'boom');
    assert.equal(userinfo.databaseCpuS, 3);
    assert.equal(introspection.databaseCpuS, undefined);
  });
});

describe('bench: which oidc-provider rows a Gatehouse row is compared with', () => {
  const run = (label: string): ServerRun => ({ target: { label } as ServerRun['target'], scenarios: [] });
  const others = ['oidc-provider (in-memory)', 'oidc-provider (SQLite adapter)', 'oidc-provider (PostgreSQL adapter)'].map(run);

  it('in-memory and the adapter on the same storage', () => {
    assert.deepEqual(
      comparedWith(run('Gatehouse (SQLite)'), others).map((o) => o.target.label),
      ['oidc-provider (in-memory)', 'oidc-provider (SQLite adapter)'],
    );
    assert.deepEqual(
      comparedWith(run('Gatehouse (PostgreSQL)'), others).map((o) => o.target.label),
      ['oidc-provider (in-memory)', 'oidc-provider (PostgreSQL adapter)'],
    );
  });
});

import type { ScenarioResult } from './scenario.js';

/** One result per scenario from its rounds: totals summed, p50 weighted by count, p99 the worst. */
export function mergeRounds(results: ScenarioResult[]): ScenarioResult[] {
  const byKey = new Map<string, ScenarioResult[]>();
  for (const r of results) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  return [...byKey.values()].map((rounds) => {
    const sum = (f: (r: ScenarioResult) => number): number => rounds.reduce((a, r) => a + f(r), 0);
    const count = sum((r) => r.count);
    const elapsedS = sum((r) => (r.rps > 0 ? r.count / r.rps : 0));
    const database = rounds.every((r) => r.databaseCpuS !== undefined) ? { databaseCpuS: sum((r) => r.databaseCpuS!) } : {};
    const firstError = rounds.find((r) => r.firstError)?.firstError;
    return {
      ...rounds[0]!,
      ...database,
      count,
      errors: sum((r) => r.errors),
      ...(firstError ? { firstError } : {}),
      rps: elapsedS > 0 ? count / elapsedS : 0,
      p50: count > 0 ? sum((r) => r.p50 * r.count) / count : Number.NaN,
      p99: Math.max(...rounds.map((r) => r.p99)),
      cpuS: sum((r) => r.cpuS),
      mainCpuS: sum((r) => r.mainCpuS),
      otherCores: elapsedS > 0 ? sum((r) => (r.rps > 0 ? r.otherCores * (r.count / r.rps) : 0)) / elapsedS : 0,
      peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)),
    };
  });
}

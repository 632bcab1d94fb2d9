/**
 * What an argon2id hash costs on this machine, one at a time and two at a time: `npx tsx
 * bench/argon2-cache.ts`. By default it measures OWASP's settings of equal strength (memory ×
 * iterations; Gatehouse's default is 19,456 KiB × 2, GATEHOUSE_ARGON2_MEMORY_KIB and
 * GATEHOUSE_ARGON2_ITERATIONS choose another), hashing in this process, and prints CPU per hash
 * (user and system time). Where two hashes' memory no longer fits in the shared last-level cache
 * together, each one waits on RAM and the CPU per hash rises; below that size it hardly moves.
 * That is what keeps any server that hashes on both cores from the "one at a time" argon2id rate
 * (docs/performance.md, "What bounds each scenario"), and what an operator weighs when choosing
 * the cost (docs/production.md, "Password hashing cost").
 *
 *   BENCH_ARGON2_COSTS=19456x2,8192x2,32768x2 BENCH_ARGON2_SECONDS=3 npx tsx bench/argon2-cache.ts
 */
import fs from 'node:fs';
import { hash } from '@node-rs/argon2';

const SECONDS = Number(process.env.BENCH_ARGON2_SECONDS ?? 3);
/** `memory` (KiB) or `memory`x`iterations`; two iterations when not given. */
const COSTS = (process.env.BENCH_ARGON2_COSTS ?? '19456x2,12288x3,9216x4,7168x5').split(',').map((cost) => {
  const [memory = NaN, iterations = 2] = cost.trim().split('x').map(Number);
  if (!Number.isInteger(memory) || !Number.isInteger(iterations) || memory < 8 || iterations < 1)
    throw new Error(`BENCH_ARGON2_COSTS: "${cost}" is not memory or memoryxiterations`);
  return { memory, iterations };
});

interface Run {
  perSecond: number;
  userMs: number;
  systemMs: number;
}

async function run(memoryCost: number, timeCost: number, atOnce: number): Promise<Run> {
  const one = (): Promise<string> => hash('correct horse battery staple', { algorithm: 2, memoryCost, timeCost, parallelism: 1 });
  for (let i = 0; i < 4; i++) await one();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: atOnce }, async () => {
      while (performance.now() < end) {
        await one();
        count++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { perSecond: count / ((performance.now() - start) / 1000), userMs: used.user / 1000 / count, systemMs: used.system / 1000 / count };
}

function lastLevelCache(): string {
  try {
    return fs.readFileSync('/sys/devices/system/cpu/cpu0/cache/index3/size', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

const fmt = (n: number, digits = 2): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

console.log(`argon2id p=1, @node-rs/argon2, ${SECONDS} s per cell; last-level cache ${lastLevelCache()}; Node ${process.version}\n`);
console.log(
  "| memory (KiB) × iterations | two hashes' memory (MiB) | 1 at a time: per s | CPU ms per hash (user + system) | 2 at a time: per s | CPU ms per hash (user + system) | CPU per hash, 2 vs 1 |",
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const { memory, iterations } of COSTS) {
  const alone = await run(memory, iterations, 1);
  const two = await run(memory, iterations, 2);
  const cost = (r: Run): string => `${fmt(r.userMs + r.systemMs)} (${fmt(r.userMs)} + ${fmt(r.systemMs)})`;
  const ratio = (two.userMs + two.systemMs) / (alone.userMs + alone.systemMs);
  console.log(
    `| ${memory.toLocaleString('en-US')} × ${iterations} | ${fmt((2 * memory) / 1024, 0)} | ${fmt(alone.perSecond, 0)} | ${cost(alone)} | ${fmt(two.perSecond, 0)} | ${cost(two)} | +${fmt((ratio - 1) * 100, 0)} % |`,
  );
}

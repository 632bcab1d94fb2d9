/** Starts a server as its own process and times it until its readiness URL answers 200. */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { waitReady } from './metrics.js';

export interface Spawned {
  child: ChildProcess;
  pid: number;
  readyMs: number;
  /** The last few kilobytes the process wrote, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function spawnServer(command: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<Spawned> {
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  const t0 = performance.now();
  // BENCH_CPU_PROF=<dir>: every server writes a V8 CPU profile there when it stops.
  const prof = process.env.BENCH_CPU_PROF;
  const argv =
    prof && command === process.execPath
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${prof}`,
          ...(process.env.BENCH_CPU_PROF_INTERVAL ? [`--cpu-prof-interval=${process.env.BENCH_CPU_PROF_INTERVAL}`] : []),
          ...args,
        ]
      : args;
  const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
  });
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(killer);
  };
  try {
    const readyMs = await waitReady(readyUrl, t0, () => !exited);
    return { child, pid: child.pid as number, readyMs, output: () => tail, stop };
  } catch (error) {
    await stop();
    throw new Error(`${command} ${args.join(' ')}: ${(error as Error).message}\n${tail}`);
  }
}

/**
 * Starts the server `times` times (stopping all but the last) and returns the last one, with the
 * median ready time: one start is too noisy to judge a 1-second bar on a shared 2-core machine.
 */
export async function spawnRepeatedly(times: number, command: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<Spawned> {
  const readies: number[] = [];
  for (let i = 1; ; i++) {
    const server = await spawnServer(command, args, env, readyUrl);
    readies.push(server.readyMs);
    if (i >= times) {
      readies.sort((a, b) => a - b);
      return { ...server, readyMs: readies[Math.floor(readies.length / 2)] ?? server.readyMs };
    }
    await server.stop();
  }
}

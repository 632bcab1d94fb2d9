/** Starts a server as its own process and times it until its readiness URL answers 200. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
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
  // The server writes to a file, not a pipe the harness reads: its log lines (one a request, for
  // Gatehouse) would otherwise cost the harness, which is also the load generator, CPU per request.
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-server-')), 'output.log');
  const out = fs.openSync(logFile, 'w');
  const tail = (): string => {
    try {
      const size = fs.statSync(logFile).size;
      const fd = fs.openSync(logFile, 'r');
      const buffer = Buffer.alloc(Math.min(4000, size));
      fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      fs.closeSync(fd);
      return buffer.toString();
    } catch {
      return '';
    }
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
  const child = spawn(command, argv, { env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => fs.rmSync(path.dirname(logFile), { recursive: true, force: true }));
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
    return { child, pid: child.pid as number, readyMs, output: tail, stop };
  } catch (error) {
    const last = tail();
    await stop();
    throw new Error(`${command} ${args.join(' ')}: ${(error as Error).message}\n${last}`);
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

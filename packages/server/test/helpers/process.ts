import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUER } from './prefix.js';
import { WAIT_GUARD_MS, within } from './wait.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/gatehouse.js');

export interface GatehouseProcess {
  /** Where it listens: http://127.0.0.1:<port>, no path. */
  url: string;
  /** Its default issuer at the address it listens on: `url`, with the issuer's path (/idp) if it has one. */
  base: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves once the process has logged `event` (a JSON log line); fails if it exits first. */
  logged(event: string): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts `gatehouse serve` on a free port and waits until it prints where it listens. Its
 * issuer is the tests' (helpers/prefix.ts) unless `env` names one.
 */
export async function startGatehouse(env: Record<string, string>, timeoutMs = WAIT_GUARD_MS): Promise<GatehouseProcess> {
  const issuer = env.GATEHOUSE_ISSUER ?? ISSUER;
  const path = new URL(issuer).pathname.replace(/\/+$/, '');
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', GATEHOUSE_HOST: '127.0.0.1', ...env, GATEHOUSE_ISSUER: issuer },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gatehouse did not start:\n${out}`)), timeoutMs);
    const check = (): void => {
      const match = out.match(/Listening:\s+(http:\/\/\S+)/);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gatehouse exited with ${code} before listening:\n${out}`));
    });
  });
  const hasLogged = (event: string): boolean => out.split('\n').some((line) => line.startsWith('{') && line.includes(`"event":${JSON.stringify(event)}`));
  return {
    url,
    base: `${url}${path}`,
    child,
    output: () => out,
    exited,
    logged: (event) =>
      within(
        new Promise<void>((resolve, reject) => {
          const check = (): void => {
            if (!hasLogged(event)) return;
            child.stdout?.off('data', check);
            child.stderr?.off('data', check);
            resolve();
          };
          // Log lines go to stdout (pino); stderr is watched too, for the CLI's own messages.
          child.stdout?.on('data', check);
          child.stderr?.on('data', check);
          check();
          void exited.then(() => (hasLogged(event) ? resolve() : reject(new Error(`gatehouse exited without logging ${event}:\n${out}`))));
        }),
        `gatehouse to log ${event}`,
      ),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

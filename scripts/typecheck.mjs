#!/usr/bin/env node
// Type-checks every project (all are noEmit) in two lanes at once, as this machine has two cores
// and tsc uses one; the lanes take about as long as each other.
// Each project's output is printed when it ends, under its name. Exits non-zero if any failed.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
// tsconfig.check.json is the server, the client's tests and the bench in one program: they share
// the server's sources, which separate projects checked once each. The interop package (whose
// Next.js types change process.env's) and the example (its own noImplicitReturns) stay apart.
const lanes = [[['tsconfig.check.json']], [['packages/interop'], ['examples/example-business']]];

function check([project, ...args]) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(tsc, ['-p', project, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      console.log(`typecheck ${project}: ${code === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      if (out.trim()) console.log(out.trimEnd());
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(
  lanes.map(async (lane) => {
    let ok = true;
    for (const project of lane) ok = (await check(project)) && ok;
    return ok;
  }),
);
process.exit(results.every(Boolean) ? 0 : 1);

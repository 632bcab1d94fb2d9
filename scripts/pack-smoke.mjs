#!/usr/bin/env node
// Packs @gatehouse/server and @gatehouse/client as `npm publish` would, installs the two tarballs
// into an empty folder the way the README tells users to, and checks they work there:
// `gatehouse serve` on SQLite answers /readyz and discovery, `npx gatehouse` finds the installed
// command, the CLI registers a client and a user on the server's database, and @gatehouse/client, imported and type-checked from the folder, gets a
// token from that server and verifies it. Run by .ci/run; exits non-zero on any failure.
// Usage: node scripts/pack-smoke.mjs [--compile]     (or npm run pack-smoke)
//
// better-sqlite3's install script downloads a prebuilt binary from GitHub, or compiles one when
// it cannot (about 3 minutes on 2 cores). Unless --compile is given, the binary that the
// checkout's own install made is offered to that script as a local prebuild, the same file a
// download would give, so the install takes seconds; the package files under test are the same.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const compile = process.argv.includes('--compile');
const started = Date.now();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-pack-'));
const app = path.join(work, 'app');

function say(message) {
  console.log(`pack-smoke: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

class Failure extends Error {}

function check(ok, message) {
  if (!ok) throw new Failure(message);
}

/** Runs a command to its end; its output is kept and shown only when it fails. */
function run(command, args, { cwd = app, env = process.env, input = '' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Failure(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${out}${err}`));
    });
    child.stdin.end(input);
  });
}

/** A port nothing listens on now, so the issuer can name the port before the server starts. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The environment a user's shell would give: none of this machine's Gatehouse settings. */
function userEnv(extra = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')));
  return { ...base, GATEHOUSE_HASH_THREADS: '1', ...extra };
}

async function pack() {
  await run('npm', ['pack', '-w', '@gatehouse/server', '-w', '@gatehouse/client', '--pack-destination', work], { cwd: root });
  const tarballs = fs
    .readdirSync(work)
    .filter((f) => f.endsWith('.tgz'))
    .sort();
  check(tarballs.length === 2, `expected two tarballs, found ${tarballs.join(', ') || 'none'}`);
  say(`packed ${tarballs.join(', ')}`);
  return tarballs.map((f) => path.join(work, f));
}

/** The checkout's better-sqlite3 binary as the tarball prebuild-install looks for; false without one. */
async function offerLocalPrebuild(manifest) {
  const checkout = path.join(root, 'node_modules', 'better-sqlite3');
  if (!fs.existsSync(path.join(checkout, 'build', 'Release', 'better_sqlite3.node'))) return false;
  const { version } = JSON.parse(fs.readFileSync(path.join(checkout, 'package.json'), 'utf8'));
  const prebuilds = path.join(work, 'prebuilds');
  fs.mkdirSync(prebuilds);
  // prebuild-install's file name (glibc; elsewhere the name does not match and it compiles).
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', ['-czf', path.join(prebuilds, name), '-C', checkout, 'build/Release/better_sqlite3.node'], { cwd: work });
  // prebuild-install reads its settings from .prebuild-installrc in the folders above it.
  fs.writeFileSync(path.join(app, '.prebuild-installrc'), `local-prebuilds=${prebuilds}\n`);
  // Only picks which version of the server's range gets installed: the one the binary is for.
  manifest.overrides = { 'better-sqlite3': version };
  return true;
}

async function install(tarballs) {
  fs.mkdirSync(app);
  // As the README says: a project of one's own that allows better-sqlite3's install script.
  const manifest = { name: 'gatehouse-pack-smoke', private: true, allowScripts: { 'better-sqlite3': true } };
  const prebuilt = !compile && (await offerLocalPrebuild(manifest));
  fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs]);
  const installed = path.join(app, 'node_modules');
  const server = path.join(installed, '@gatehouse', 'server');
  check(fs.existsSync(path.join(server, 'dist', 'gatehouse.mjs')), 'the server package has no dist/gatehouse.mjs');
  check(!fs.existsSync(path.join(server, 'src')), 'the server package ships its TypeScript sources');
  for (const tool of ['esbuild', 'tsx', 'typescript']) check(!fs.existsSync(path.join(installed, tool)), `installing the packages installed ${tool}`);
  say(`installed${prebuilt ? '' : ' (better-sqlite3 compiled)'}`);
}

/**
 * `gatehouse serve` in the folder, through the bin link `npx gatehouse` runs (npx itself would
 * not pass SIGTERM on, and the server would outlive the check); listening once it says where.
 */
function serve(port) {
  const issuer = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(app, 'node_modules', '.bin', 'gatehouse'), ['serve'], {
    cwd: app,
    env: userEnv({ PORT: String(port), GATEHOUSE_ISSUER: issuer }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Failure(`gatehouse serve printed no "Listening:" line within 60 s:\n${output}`)), 60_000);
    const onData = (d) => {
      output += d;
      const url = /Listening:\s+(\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Failure(`gatehouse serve exited (${signal ?? `exit ${code}`}) before listening:\n${output}`));
    });
  });
  return { child, issuer, listening, exited, output: () => output };
}

async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  check(res.ok, `GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function checkServer(issuer, listening) {
  check(listening === issuer, `listening on ${listening}, expected ${issuer}`);
  const ready = await getJson(`${issuer}/readyz`);
  check(ready.status === 'ready', `/readyz: ${JSON.stringify(ready)}`);
  const metadata = await getJson(`${issuer}/.well-known/openid-configuration`);
  check(metadata.issuer === issuer && metadata.token_endpoint === `${issuer}/oauth/token`, `discovery: ${JSON.stringify(metadata).slice(0, 300)}`);
  say('gatehouse serve answers /readyz and discovery');
}

/** The one-time console setup link serve prints while no one administers the issuer opens its form. */
async function checkConsoleSetup(issuer, output) {
  let link;
  for (let i = 0; i < 50 && !link; i++) {
    const at = output().indexOf(`${issuer}/admin/setup?token=`);
    if (at >= 0) link = output().slice(at).split(/\s/)[0];
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  check(link, `gatehouse serve printed no console setup link:\n${output()}`);
  const res = await fetch(link, { signal: AbortSignal.timeout(10_000) });
  const html = await res.text();
  check(res.status === 200 && html.includes('Create the first owner'), `the setup link answered ${res.status}: ${html.slice(0, 200)}`);
  const css = await fetch(`${issuer}/admin/assets/console.css`, { signal: AbortSignal.timeout(10_000) });
  check(css.ok, `the console's stylesheet answered ${css.status}`);
  await css.body?.cancel();
  say('the console setup link opens its form');
}

async function checkCli() {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'packages', 'server', 'package.json'), 'utf8'));
  // Through npx once, to show it finds the installed command (and not the unrelated npm package
  // called gatehouse); then straight through the bin link it runs, which costs no npm start.
  const printed = (await run('npx', ['gatehouse', '--version'], { env: userEnv() })).trim();
  check(printed === version, `npx gatehouse --version printed "${printed}", expected ${version}`);
  const gatehouse = path.join(app, 'node_modules', '.bin', 'gatehouse');
  const client = JSON.parse(
    await run(gatehouse, ['client', 'create', '--name', 'Pack smoke', '--grant-types', 'client_credentials', '--json'], { env: userEnv() }),
  );
  check(typeof client.client_id === 'string' && typeof client.client_secret === 'string', `client create: ${JSON.stringify(Object.keys(client))}`);
  // Hashes with argon2id on a worker thread: the native addon loads from the installed package.
  const user = JSON.parse(
    await run(gatehouse, ['user', 'create', '--email', 'smoke@example.com', '--password-stdin', '--json'], {
      env: userEnv(),
      input: 'a long enough password\n',
    }),
  );
  check(typeof user.sub === 'string', 'user create printed no sub');
  say("the CLI registers a client and a user on the server's database");
  return client;
}

/** @gatehouse/client from the folder: its types compile, and it gets and verifies a token. */
async function checkSdk(issuer, client) {
  fs.writeFileSync(
    path.join(app, 'sdk-check.mts'),
    `import { IdpClient, createResourceServer, type AccessTokenClaims } from '@gatehouse/client';

const issuerUrl = ${JSON.stringify(issuer)};
const clientId = ${JSON.stringify(client.client_id)};
const clientSecret = ${JSON.stringify(client.client_secret)};
const idp = new IdpClient({ issuerUrl, clientId, clientSecret, redirectUri: 'http://127.0.0.1/unused' });
const { accessToken } = await idp.clientCredentials();
const api = createResourceServer({ issuerUrl, audience: issuerUrl });
const claims: AccessTokenClaims = await api.verify({ headers: { authorization: \`Bearer \${accessToken}\` } });
if (claims.client_id !== clientId) throw new Error(\`the token is for \${claims.client_id}\`);
console.log('verified');
`,
  );
  fs.writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM'],
        strict: true,
        skipLibCheck: true,
        types: [],
        outDir: 'out',
      },
      files: ['sdk-check.mts'],
    }),
  );
  await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app]);
  const printed = await run(process.execPath, [path.join(app, 'out', 'sdk-check.mjs')]);
  check(printed.trim() === 'verified', `sdk-check printed ${printed}`);
  say('@gatehouse/client type-checks, gets a client-credentials token and verifies it');
}

async function stop(server) {
  server.child.kill('SIGTERM');
  const { code, signal } = await server.exited;
  check(code === 0, `gatehouse serve ended with ${signal ?? `exit ${code}`} on SIGTERM:\n${server.output()}`);
  const mode = (fs.statSync(path.join(app, 'data', 'gatehouse.db')).mode & 0o777).toString(8);
  check(mode === '600', `data/gatehouse.db has mode ${mode}`);
  say('gatehouse serve stopped cleanly');
}

let server;
let code = 0;
try {
  await install(await pack());
  server = serve(await freePort());
  await checkServer(server.issuer, await server.listening);
  await checkConsoleSetup(server.issuer, server.output);
  const client = await checkCli();
  await checkSdk(server.issuer, client);
  await stop(server);
  server = undefined;
  say('ok');
} catch (error) {
  console.error(`pack-smoke: FAILED: ${error instanceof Failure ? error.message : (error?.stack ?? error)}`);
  code = 1;
} finally {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(code);

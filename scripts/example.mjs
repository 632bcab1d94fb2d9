#!/usr/bin/env node
// `npm run example`: Gatehouse and the Example Business app, wired together, in one command.
// Starts `gatehouse serve`, registers the app as an OAuth client (once; the credentials go to
// examples/example-business/.env), creates a demo user (once), starts the app, and prints where
// to sign in. Ctrl-C stops both. Overrides: GATEHOUSE_ISSUER (default http://localhost:3000),
// GATEHOUSE_DATA_DIR (default ./data), EXAMPLE_PORT (default 4000).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'packages/server/bin/gatehouse.js');
const APP_DIR = path.join(ROOT, 'examples/example-business');
const ENV_FILE = path.join(APP_DIR, '.env');
const DEMO_EMAIL = 'demo@example-business.com';

const issuer = (process.env.GATEHOUSE_ISSUER || 'http://localhost:3000').replace(/\/+$/, '');
const issuerUrl = new URL(issuer);
const gatehousePort = issuerUrl.port || (issuerUrl.protocol === 'https:' ? '443' : '80');
const appPort = process.env.EXAMPLE_PORT || '4000';
const appUrl = `http://localhost:${appPort}`;
const redirectUri = `${appUrl}/api/auth/callback/gatehouse`;
const backchannelLogoutUri = `${appUrl}/api/auth/backchannel-logout`;
const dataDir = path.resolve(ROOT, process.env.GATEHOUSE_DATA_DIR || 'data');
// Gatehouse POSTs logout tokens to the app on localhost: a loopback address, which outbound
// deliveries (webhooks, back-channel logout) reach only when the operator allows the host.
const allowedHosts = [process.env.GATEHOUSE_WEBHOOK_ALLOWED_HOSTS, `localhost:${appPort}`].filter(Boolean).join(',');
const gatehouseEnv = {
  ...process.env,
  GATEHOUSE_ISSUER: issuer,
  GATEHOUSE_DATA_DIR: dataDir,
  PORT: gatehousePort,
  GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: allowedHosts,
};

const children = [];
let stopping = false;

function say(message) {
  console.log(`[example] ${message}`);
}

/** Streams a child's output line by line with a prefix, so the two servers stay readable. */
function relay(child, prefix) {
  for (const [stream, target] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    readline.createInterface({ input: stream }).on('line', (line) => target.write(`${prefix} ${line}\n`));
  }
}

function startChild(prefix, args, options) {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  relay(child, prefix);
  children.push(child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${prefix} exited (${signal ?? code}); stopping.`);
    void shutdown(undefined, 1);
  });
  return child;
}

/** Runs one `gatehouse` CLI command on the same data as the server; the password goes via stdin only. */
function cli(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: gatehouseEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

async function cliJson(args, input) {
  const result = await cli([...args, '--json'], input);
  if (result.code !== 0) throw new Error(`gatehouse ${args.slice(0, 2).join(' ')} failed (exit ${result.code}): ${result.err.trim()}`);
  return JSON.parse(result.out);
}

async function waitForOk(url, child, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} was not ready at ${url} after ${timeoutMs / 1000} s`);
}

function readEnvFile() {
  return fs.existsSync(ENV_FILE) ? parseEnv(fs.readFileSync(ENV_FILE, 'utf8')) : {};
}

/** Writes .env readable by this user only: it holds the client secret and the demo password. */
function writeEnvFile(values) {
  const lines = [
    '# Written by `npm run example` (scripts/example.mjs); see .env.example for what each setting means.',
    '# Private: holds the client secret and the demo password. Ignored by git.',
    ...Object.entries(values)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${v}`),
    '',
  ];
  fs.writeFileSync(ENV_FILE, lines.join('\n'), { mode: 0o600 });
  fs.chmodSync(ENV_FILE, 0o600); // mode only applies when the file is created
}

/** Whether .env names a client that exists, fits this app's URLs, and whose secret still works. */
async function reusableClient(saved, audience) {
  const id = saved.GATEHOUSE_CLIENT_ID;
  if (!id || !saved.GATEHOUSE_CLIENT_SECRET || saved.GATEHOUSE_ISSUER !== issuer) return false;
  const shown = await cli(['client', 'show', id, '--json']);
  if (shown.code !== 0) {
    say(`Client ${id} from .env no longer exists in Gatehouse; registering a new one.`);
    return false;
  }
  const client = JSON.parse(shown.out);
  const fits =
    client.redirect_uris.includes(redirectUri) &&
    client.post_logout_redirect_uris.includes(`${appUrl}/`) &&
    client.resources.includes(audience) &&
    client.scope.split(' ').includes('orders');
  if (!fits) {
    say(`Client ${id} is registered for other URLs; registering a new one for ${appUrl}.`);
    return false;
  }
  if (client.backchannel_logout_uri !== backchannelLogoutUri) {
    // Clients registered before back-channel logout: the app's logout URI is added, nothing else changes.
    await cliJson(['client', 'update', id, '--backchannel-logout-uri', backchannelLogoutUri]);
    say(`Client ${id} now receives back-channel logout at ${backchannelLogoutUri}.`);
  }
  // Introspection answers 200 only to an authenticated client: a cheap check of the secret.
  const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(saved.GATEHOUSE_CLIENT_SECRET)}`).toString('base64');
  const res = await fetch(`${issuer}/oauth/introspect`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'token=secret-check',
  });
  await res.body?.cancel();
  if (res.status !== 200) {
    say(`The client secret in .env no longer works; issuing a new one.`);
    saved.GATEHOUSE_CLIENT_SECRET = (await cliJson(['client', 'rotate-secret', id])).client_secret;
  }
  return true;
}

async function registerClient(audience) {
  const created = await cliJson([
    'client',
    'create',
    '--name',
    'Example Business',
    '--description',
    'Payments for small businesses (the Gatehouse example app)',
    '--redirect-uri',
    redirectUri,
    '--post-logout-redirect-uri',
    `${appUrl}/`,
    '--backchannel-logout-uri',
    backchannelLogoutUri,
    '--scope',
    'openid profile email orders',
    '--grant-types',
    'authorization_code,refresh_token',
    '--resource',
    audience,
  ]);
  say(`Registered the app as client ${created.client_id}.`);
  return created;
}

/** The demo user's password when this script knows it; undefined when it was made some other way. */
async function ensureDemoUser(saved) {
  const users = await cliJson(['user', 'list']);
  if (users.some((u) => u.email === DEMO_EMAIL)) return saved.EXAMPLE_DEMO_PASSWORD;
  const password = randomBytes(12).toString('base64url');
  await cliJson(
    ['user', 'create', '--email', DEMO_EMAIL, '--name', 'Demo User', '--given-name', 'Demo', '--family-name', 'User', '--email-verified', '--password-stdin'],
    `${password}\n`,
  );
  say(`Created the demo user ${DEMO_EMAIL}.`);
  return password;
}

function stopChild(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // Ctrl-C in a terminal has already sent SIGINT to the whole process group: give the
    // children a moment to stop on their own before asking again.
    const term = setTimeout(() => child.kill('SIGTERM'), signal === 'SIGINT' ? 3000 : 0);
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve();
    });
  });
}

async function shutdown(signal, code = 0) {
  if (stopping) return;
  stopping = true;
  if (signal) say('Stopping…');
  await Promise.all(children.map((child) => stopChild(child, signal)));
  process.exit(code);
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'packages/client/dist/index.js'))) {
    throw new Error('@gatehouse/client is not built: run `npm run build` first.');
  }
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const shownDir = path.relative(ROOT, dataDir);
  say(`Starting Gatehouse at ${issuer} (data in ${shownDir.startsWith('..') ? dataDir : shownDir || '.'})…`);
  const gatehouse = startChild('[gatehouse]', [BIN, 'serve'], { env: gatehouseEnv, cwd: ROOT });
  await waitForOk(`${issuer}/readyz`, gatehouse, 'Gatehouse');

  const saved = readEnvFile();
  const audience = saved.EXAMPLE_API_AUDIENCE || `${appUrl}/api`;
  if (!(await reusableClient(saved, audience))) {
    const created = await registerClient(audience);
    saved.GATEHOUSE_CLIENT_ID = created.client_id;
    saved.GATEHOUSE_CLIENT_SECRET = created.client_secret;
  }
  const password = await ensureDemoUser(saved);
  const values = {
    ...saved,
    GATEHOUSE_ISSUER: issuer,
    GATEHOUSE_CLIENT_ID: saved.GATEHOUSE_CLIENT_ID,
    GATEHOUSE_CLIENT_SECRET: saved.GATEHOUSE_CLIENT_SECRET,
    GATEHOUSE_REDIRECT_URI: redirectUri,
    PORT: appPort,
    EXAMPLE_SESSION_SECRET: saved.EXAMPLE_SESSION_SECRET || randomBytes(32).toString('base64url'),
    EXAMPLE_DEMO_EMAIL: DEMO_EMAIL,
    EXAMPLE_DEMO_PASSWORD: password,
  };
  writeEnvFile(values);

  // .env is the app's configuration: nothing inherited from this shell may override it.
  const appEnv = { ...process.env };
  for (const key of Object.keys(values)) delete appEnv[key];
  const app = startChild('[app]', ['--import', 'tsx', 'src/main.ts'], { env: appEnv, cwd: APP_DIR });
  await waitForOk(`${appUrl}/`, app, 'The example app');

  console.log(`
  Example Business is running:  ${appUrl}
  Gatehouse (the provider):     ${issuer}

  Sign in with:  ${DEMO_EMAIL}
  Password:      ${password ?? '(set before this script managed it; create another user with `npx gatehouse user create`)'}

  Press Ctrl-C to stop both.
`);
}

main().catch((error) => {
  console.error(`[example] ${error.message}`);
  void shutdown(undefined, 1);
});

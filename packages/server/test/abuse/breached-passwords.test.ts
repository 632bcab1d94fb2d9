import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { RANGE_MAX_BYTES, breachCount, countInRange, isBreached, rangeParts } from '../../src/abuse/breached.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { ServiceError } from '../../src/services/errors.js';
import { createUser, setPassword } from '../../src/services/users.js';
import { openAccountPage, signInOnAccountPage } from '../helpers/account-pages.js';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import { TEST_PASSWORD, type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { askForLink, browserAt, formError, onlyLinkTo, setNewPassword } from '../helpers/password-pages.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

const BREACHED = 'P@ssw0rd-from-a-breach';
const FRESH = 'a fresh passphrase nobody has leaked';

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex').toUpperCase();

/** A logger that keeps what it is told, to see the fail-open warning. */
function recordingLogger(): Logger & { lines: { level: string; event: string; fields: Record<string, unknown> }[] } {
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  return { lines, log: (level, event, fields = {}) => lines.push({ level, event, fields }) } as Logger & { lines: typeof lines };
}

/** A range service on loopback: the breached password's suffix with a count, padding lines with 0, and a few misbehaviours. */
async function rangeServer(): Promise<{ url: string; requests: { path: string; padding: string | undefined }[]; close(): Promise<void> }> {
  const { prefix, suffix } = rangeParts(BREACHED);
  const fresh = rangeParts(FRESH);
  const requests: { path: string; padding: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests.push({ path: url, padding: req.headers['add-padding'] as string | undefined });
    if (url.startsWith('/broken/')) return void res.writeHead(500).end('no');
    if (url.startsWith('/moved/')) return void res.writeHead(302, { location: '/range/' + url.slice(7) }).end();
    if (url.startsWith('/huge/')) return void res.writeHead(200).end(`${'0'.repeat(35)}:1\r\n`.repeat(Math.ceil(RANGE_MAX_BYTES / 38) + 10));
    if (url.startsWith('/silent/')) return; // never answers: the timeout ends it
    res.writeHead(200, { 'content-type': 'text/plain' });
    if (url === `/range/${prefix}`) res.end(`0123456789ABCDEF0123456789ABCDEF012:3\r\n${suffix}:42\r\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0\r\n`);
    // The fresh password's suffix is there only as a padding line (count 0): not a breach.
    else if (url === `/range/${fresh.prefix}`) res.end(`${fresh.suffix}:0\r\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:7\r\n`);
    else res.end('');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A folder of range files as the HIBP downloader writes them (`ABCDE.txt`), and a file of full hashes. */
function rangeFiles(): { folder: string; file: string } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-ranges-'));
  const { prefix, suffix } = rangeParts(BREACHED);
  fs.writeFileSync(path.join(folder, `${prefix}.txt`), `${suffix}:9\r\n`);
  const file = path.join(folder, 'hashes.txt');
  fs.writeFileSync(file, `${'0'.repeat(40)}:1\n${sha1(BREACHED)}:5\n`);
  return { folder, file };
}

describe('breached passwords: the k-anonymity range protocol', () => {
  let server: Awaited<ReturnType<typeof rangeServer>>;
  let files: ReturnType<typeof rangeFiles>;
  before(async () => {
    server = await rangeServer();
    files = rangeFiles();
  });
  after(async () => {
    await server.close();
    fs.rmSync(files.folder, { recursive: true, force: true });
  });

  it('sends only the first five hex digits, asks for padding, and ignores padded zero-count lines', async () => {
    const { prefix, suffix } = rangeParts(BREACHED);
    assert.equal(prefix + suffix, sha1(BREACHED));
    assert.equal(await breachCount({ kind: 'http', url: `${server.url}/range` }, BREACHED), 42);
    const asked = server.requests.at(-1);
    assert.deepEqual(asked, { path: `/range/${prefix}`, padding: 'true' });
    assert.ok(!asked?.path.includes(suffix), 'the rest of the hash stays here');
    assert.equal(await breachCount({ kind: 'http', url: `${server.url}/range` }, FRESH), 0, 'a padding line is not a breach');
    assert.equal(countInRange(`${suffix}:0\n`, suffix), 0);
    assert.equal(countInRange(`${suffix.toLowerCase()}:3\n`, suffix), 3, 'hex case does not matter');
  });

  it('reads a folder of range files and a file of full hashes', async () => {
    assert.equal(await breachCount({ kind: 'directory', path: files.folder }, BREACHED), 9);
    assert.equal(await breachCount({ kind: 'directory', path: files.folder }, FRESH), 0, 'no file for the prefix: not breached');
    assert.equal(await breachCount({ kind: 'file', path: files.file }, BREACHED), 5);
    assert.equal(await breachCount({ kind: 'file', path: files.file }, FRESH), 0);
  });

  it('fails open with a warning: an error status, a redirect, an oversized answer, no answer, a missing folder', async () => {
    const logger = recordingLogger();
    for (const base of ['broken', 'moved', 'huge', 'silent']) {
      assert.equal(await isBreached({ kind: 'http', url: `${server.url}/${base}` }, BREACHED, logger), false, base);
    }
    assert.equal(await isBreached({ kind: 'directory', path: path.join(files.folder, 'nope') }, BREACHED, logger), false);
    assert.equal(await isBreached({ kind: 'file', path: path.join(files.folder, 'nope.txt') }, BREACHED, logger), false);
    const warnings = logger.lines.filter((l) => l.event === 'breached_password_check_unavailable');
    assert.equal(warnings.length, 6);
    assert.ok(warnings.every((w) => w.level === 'warn'));
    assert.deepEqual(
      warnings.slice(0, 4).map((w) => w.fields.reason),
      ['answered 500', 'could not be reached', `answered more than ${RANGE_MAX_BYTES} bytes`, 'timed out'],
    );
    assert.ok(!server.requests.some((r) => r.path.startsWith('/range/') && r.padding === undefined), 'every request asked for padding');
    assert.ok(!JSON.stringify(logger.lines).includes(BREACHED), 'no password in the log');
  });

  it('GATEHOUSE_BREACHED_PASSWORDS_URL: off when unset, an https or loopback http URL, a file: URL or a path', () => {
    assert.equal(loadConfig({}).breachedPasswords, undefined);
    assert.deepEqual(loadConfig({ GATEHOUSE_BREACHED_PASSWORDS_URL: 'https://api.pwnedpasswords.com/range/' }).breachedPasswords, {
      kind: 'http',
      url: 'https://api.pwnedpasswords.com/range',
    });
    assert.deepEqual(loadConfig({ GATEHOUSE_BREACHED_PASSWORDS_URL: pathToFileURL(files.folder).href }).breachedPasswords, {
      kind: 'directory',
      path: files.folder,
    });
    assert.deepEqual(loadConfig({ GATEHOUSE_BREACHED_PASSWORDS_URL: files.file }).breachedPasswords, { kind: 'file', path: files.file });
    for (const bad of ['http://ranges.example.com/range', 'ftp://x/y', 'https://u:p@x.example/range', 'https://x.example/range?x=1']) {
      assert.throws(
        () => loadConfig({ GATEHOUSE_BREACHED_PASSWORDS_URL: bad }),
        (e: unknown) => e instanceof ConfigError && e.variable === 'GATEHOUSE_BREACHED_PASSWORDS_URL',
        bad,
      );
    }
  });
});

describe('breached passwords: every place a new password is chosen', () => {
  let server: Awaited<ReturnType<typeof rangeServer>>;
  let ctx: TestContext;
  let sink: SmtpSink;
  before(async () => {
    server = await rangeServer();
    sink = await startSmtpSink();
    ctx = await createTestContext({
      GATEHOUSE_BREACHED_PASSWORDS_URL: `${server.url}/range`,
      GATEHOUSE_TRUST_PROXY: 'true',
      GATEHOUSE_SMTP_URL: sink.url,
      GATEHOUSE_MAIL_FROM: 'no-reply@example.com',
    });
  });
  after(async () => {
    await ctx.close();
    await sink.close();
    await server.close();
  });

  it('the reset (and invitation) page refuses a breached password and keeps the link for another try', async () => {
    const user = await createTestUser(ctx);
    const browser = browserAt(ctx, '198.51.100.20');
    assert.equal((await askForLink(browser, user.email)).status, 200);
    const link = await onlyLinkTo(ctx, sink, user.email);
    const refused = await setNewPassword(browser, link, BREACHED);
    assert.equal(refused.status, 400);
    assert.equal(formError(await refused.text()), 'This password appears in a known data breach, so others may try it. Choose another one.');
    assert.equal((await setNewPassword(browser, link, FRESH)).status, 200, 'the same link still works with a fresh password');
    const [event] = await ctx.scope.repos.events.list({ type: 'password.breached_refused', userId: user.id });
    assert.deepEqual(event?.payload, { place: 'reset' });
  });

  it('an administrator (Admin API, CLI) cannot create a user with, or set, a breached password', async () => {
    await assert.rejects(
      createUser(ctx.scope, { email: 'breached@example.com' }, BREACHED),
      (e: unknown) => e instanceof ServiceError && e.field === 'password' && /data breach/.test(e.message),
    );
    assert.equal(await ctx.scope.repos.users.findByEmail('breached@example.com'), undefined);
    const user = await createUser(ctx.scope, { email: 'fresh@example.com' }, FRESH);
    await assert.rejects(setPassword(ctx.scope, user, BREACHED), (e: unknown) => e instanceof ServiceError && e.field === 'password');
    const events = (await ctx.scope.repos.events.list({ type: 'password.breached_refused' })).filter(
      (e) => (e.payload as { place?: string }).place === 'admin',
    );
    assert.deepEqual(
      events.map((e) => e.payload),
      [{ place: 'admin' }, { place: 'admin' }],
    );
    assert.deepEqual(events.map((e) => e.userId ?? '').sort(), ['', user.id].sort());
  });

  it('the account page refuses a breached new password and keeps the old one', async () => {
    const user = await createTestUser(ctx);
    const browser = browserAt(ctx, '198.51.100.7');
    assert.equal((await signInOnAccountPage(browser, user.email, TEST_PASSWORD)).status, 303);
    await openAccountPage(browser);
    const url = `${ISSUER}/account/password`;
    const page = await (await browser.request(url)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const body = new URLSearchParams({ csrf, current: TEST_PASSWORD, password: BREACHED, confirm: BREACHED });
    const res = await browser.request(url, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
    assert.equal(res.status, 400);
    assert.equal(formError(await res.text()), 'This password appears in a known data breach, so others may try it. Choose another one.');
    assert.equal((await signInOnAccountPage(browserAt(ctx, '198.51.100.8'), user.email, TEST_PASSWORD)).status, 303, 'the old password still works');
    const [event] = await ctx.scope.repos.events.list({ type: 'password.breached_refused', userId: user.id });
    assert.deepEqual(event?.payload, { place: 'change' });
    assert.equal(event?.address, '198.51.100.7');
  });
});

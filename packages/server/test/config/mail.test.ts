import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

const FROM = 'Gatehouse <no-reply@example.com>';

function refused(env: Record<string, string>, variable: string, secret?: string): void {
  assert.throws(
    () => loadConfig(env),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, `a ConfigError for ${JSON.stringify(env)}`);
      assert.equal(e.variable, variable);
      if (secret) assert.doesNotMatch(e.message, new RegExp(secret), 'the message does not repeat the password');
      return true;
    },
  );
}

describe('configuration: outgoing mail', () => {
  it('is off when neither variable is set', () => {
    assert.equal(loadConfig({}).mail, undefined);
    assert.equal(loadConfig({ GATEHOUSE_SMTP_URL: ' ', GATEHOUSE_MAIL_FROM: '' }).mail, undefined);
  });

  it('needs both variables or neither', () => {
    refused({ GATEHOUSE_SMTP_URL: 'smtp://mail.example.com' }, 'GATEHOUSE_MAIL_FROM');
    refused({ GATEHOUSE_MAIL_FROM: FROM }, 'GATEHOUSE_SMTP_URL');
  });

  it('reads host, port, TLS and credentials from the URL', () => {
    const mail = loadConfig({ GATEHOUSE_SMTP_URL: 'smtp://us%40er:p%3Ass@mail.example.com:2525', GATEHOUSE_MAIL_FROM: FROM }).mail;
    assert.deepEqual(mail, {
      host: 'mail.example.com',
      port: 2525,
      secure: false,
      requireTls: true,
      auth: { user: 'us@er', pass: 'p:ss' },
      from: { name: 'Gatehouse', address: 'no-reply@example.com' },
    });
    const tls = loadConfig({ GATEHOUSE_SMTP_URL: 'smtps://mail.example.com', GATEHOUSE_MAIL_FROM: 'no-reply@example.com' }).mail;
    assert.equal(tls?.port, 465);
    assert.equal(tls?.secure, true);
    assert.equal(tls?.auth, undefined);
    assert.deepEqual(tls?.from, { name: '', address: 'no-reply@example.com' });
    const plain = loadConfig({ GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:2525', GATEHOUSE_MAIL_FROM: '"Gatehouse" <a@b.example>' }).mail;
    assert.equal(plain?.port, 2525);
    assert.equal(plain?.requireTls, false, 'a loopback relay may speak plain SMTP');
    assert.deepEqual(plain?.from, { name: 'Gatehouse', address: 'a@b.example' });
    assert.equal(loadConfig({ GATEHOUSE_SMTP_URL: 'smtp://mail.example.com', GATEHOUSE_MAIL_FROM: FROM }).mail?.port, 587);
  });

  it('refuses anything else with a ConfigError naming the variable, without repeating a password', () => {
    for (const url of [
      'mail.example.com',
      'http://mail.example.com',
      'smtp://',
      'smtp://mail.example.com:0',
      'smtp://mail.example.com:70000',
      'smtp://mail.example.com/path',
      'smtp://mail.example.com?pool=true',
      'smtp://mail.example.com#x',
      'smtp://:hunter2secret@mail.example.com',
      'smtp://user:%E0%A4%A@mail.example.com',
    ]) {
      refused({ GATEHOUSE_SMTP_URL: url, GATEHOUSE_MAIL_FROM: FROM }, 'GATEHOUSE_SMTP_URL', 'hunter2secret');
    }
    for (const from of [
      'not an address',
      'no-reply',
      'no-reply@localhost',
      'Gatehouse <no-reply@example.com',
      'a@b.example, c@d.example',
      'Gatehouse <no-reply@example.com>\r\nBcc: victim@example.com',
      'Gate<house> <no-reply@example.com>',
      `${'x'.repeat(320)}@example.com`,
    ]) {
      refused({ GATEHOUSE_SMTP_URL: 'smtp://mail.example.com', GATEHOUSE_MAIL_FROM: from }, 'GATEHOUSE_MAIL_FROM');
    }
  });
});

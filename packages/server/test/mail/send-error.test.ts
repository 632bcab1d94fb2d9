import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MailSendError, toMailSendError } from '../../src/mail/send-error.js';

/** An error shaped as nodemailer rejects with. */
const smtpError = (code: string, responseCode?: number): Error => Object.assign(new Error(`${code} ${responseCode ?? ''}`), { code, responseCode });

// Only a refusal for good stops the outbox from trying again; everything else may pass later.
describe('mail send errors', () => {
  it('a 5xx to the recipient or to the message is permanent', () => {
    assert.equal(toMailSendError(smtpError('EENVELOPE', 550)).permanent, true);
    assert.equal(toMailSendError(smtpError('EMESSAGE', 554)).permanent, true);
  });

  it('a 4xx, no connection, a timeout, TLS or a failed login may pass later', () => {
    for (const error of [
      smtpError('EENVELOPE', 451),
      smtpError('EMESSAGE', 452),
      smtpError('ECONNECTION'),
      smtpError('ETIMEDOUT'),
      smtpError('ETLS'),
      smtpError('EAUTH', 535),
      smtpError('ESOCKET'),
      new Error('database is locked'),
      'a string',
    ]) {
      assert.equal(toMailSendError(error).permanent, false, String(error));
    }
  });

  it('keeps the name and message for the log, and passes a MailSendError through', () => {
    const failure = toMailSendError(smtpError('EENVELOPE', 550));
    assert.ok(failure instanceof MailSendError);
    assert.equal(failure.message, 'Error: EENVELOPE 550');
    const already = new MailSendError('mail to user u1 not sent', true);
    assert.equal(toMailSendError(already), already);
  });
});

/**
 * A message the SMTP server did not accept. `permanent` when the server refused it for good (a
 * 5xx to the recipient or the message, RFC 5321 §4.2.1): sending it again would get the same
 * answer. Everything else (4xx, no connection, TLS, authentication, a timeout) may pass later,
 * once the server or its configuration recovers.
 */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';

  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

// nodemailer's codes for a refusal of the envelope (MAIL FROM / RCPT TO) or of the message (DATA).
const REFUSALS = new Set(['EENVELOPE', 'EMESSAGE']);

/** `error` from nodemailer, as a MailSendError. */
export function toMailSendError(error: unknown): MailSendError {
  if (error instanceof MailSendError) return error;
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const permanent = typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && typeof code === 'string' && REFUSALS.has(code);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new MailSendError(message, permanent);
}

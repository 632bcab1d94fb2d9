import { createRequire } from 'node:module';
import type * as nodemailer from 'nodemailer';
import type { MailConfig } from '../config.js';
import { toMailSendError } from './send-error.js';

/** A plain-text message to one recipient. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The sender's display name (the issuer's); the address is always GATEHOUSE_MAIL_FROM's. */
  fromName?: string;
}

/** The From header: a display name, when there is one, without anything that could end the header. */
function fromOf(from: MailConfig['from'], name: string | undefined): string | { name: string; address: string } {
  const display = (name ?? from.name).replace(/[\p{Cc}<>"]/gu, ' ').trim();
  return display ? { name: display, address: from.address } : from.address;
}

export interface Mailer {
  /** Hands the message to the SMTP server; rejects with a MailSendError when it is not accepted. */
  send(message: MailMessage): Promise<void>;
}

// Bounded so a silent SMTP server cannot hold a send (and a graceful shutdown waiting for it)
// for nodemailer's default of minutes.
const CONNECT_MS = 10_000;
const SOCKET_MS = 30_000;

/**
 * nodemailer, loaded the first time a mail is sent: it is CommonJS, only needed when mail is
 * configured, and left out of the bundle like pg (scripts/build.mjs).
 */
function load(): typeof nodemailer {
  return createRequire(import.meta.url)('nodemailer') as typeof nodemailer;
}

function createTransport(config: MailConfig): nodemailer.Transporter {
  return load().createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls,
    ...(config.auth ? { auth: config.auth } : {}),
    connectionTimeout: CONNECT_MS,
    greetingTimeout: CONNECT_MS,
    socketTimeout: SOCKET_MS,
    // Messages are built here from fixed text; nothing in them may make nodemailer read
    // files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    // nodemailer's own logging would write the message, and so the link, out.
    logger: false,
  });
}

/**
 * Connects to the SMTP server as sending would (TLS and its certificate checked, STARTTLS when
 * required, the login tried) and sends nothing: `gatehouse doctor`'s check.
 */
export async function verifyMailer(config: MailConfig): Promise<void> {
  const transport = createTransport(config);
  try {
    await transport.verify();
  } catch (error) {
    throw toMailSendError(error);
  } finally {
    transport.close();
  }
}

/** Sends mail through the SMTP server of GATEHOUSE_SMTP_URL, one connection per message. */
export function createMailer(config: MailConfig): Mailer {
  let transport: nodemailer.Transporter | undefined;
  return {
    async send(message) {
      transport ??= createTransport(config);
      try {
        await transport.sendMail({
          from: fromOf(config.from, message.fromName),
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
      } catch (error) {
        throw toMailSendError(error);
      }
    },
  };
}

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail } from './smtp-sink.js';

/** One message as the server received it, and whether its session was encrypted. */
export interface TlsReceivedMail {
  to: string[];
  /** The body, quoted-printable decoded. */
  text: string;
  secure: boolean;
}

export interface TlsSmtpServer {
  /** GATEHOUSE_SMTP_URL for this server: smtps:// when TLS starts with the connection, else smtp://. */
  url: string;
  received: TlsReceivedMail[];
  /** Every successful AUTH, and whether it was encrypted. */
  logins: { secure: boolean }[];
  /** Errors the server saw, such as a client aborting the TLS handshake. */
  errors: string[];
  close(): Promise<void>;
}

const USER = 'gatehouse';
const PASS = 'smtp-tls-test-password';

/**
 * A real SMTP server on 127.0.0.1 (ephemeral port) with a certificate for localhost: STARTTLS
 * offered on a plain connection, or TLS from the start when `implicitTls`. AUTH is required.
 */
export async function startTlsSmtpServer(options: { key: string; cert: string; implicitTls: boolean }): Promise<TlsSmtpServer> {
  const received: TlsReceivedMail[] = [];
  const logins: { secure: boolean }[] = [];
  const errors: string[] = [];
  const server = new SMTPServer({
    key: options.key,
    cert: options.cert,
    secure: options.implicitTls,
    hideSTARTTLS: false,
    // AUTH is accepted in plaintext too, so that a client falling back to plaintext would get
    // through and be seen (secure: false) rather than be stopped by this server.
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, session, callback) {
      if (auth.username !== USER || auth.password !== PASS) {
        callback(new Error('Invalid username or password'));
        return;
      }
      logins.push({ secure: session.secure });
      callback(null, { user: USER });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        received.push({ to, text: parseMail(Buffer.concat(chunks).toString('utf8'), '', to).text, secure: session.secure });
        callback();
      });
    },
  });
  // Without a listener, a failed handshake would be an unhandled 'error' event and end the test run.
  server.on('error', (error: Error) => errors.push(error.message));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `${options.implicitTls ? 'smtps' : 'smtp'}://${USER}:${PASS}@localhost:${port}`,
    received,
    logins,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

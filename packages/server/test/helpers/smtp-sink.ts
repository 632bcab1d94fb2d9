import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message: headers and body as sent. */
  raw: string;
  subject: string;
  /** The body, quoted-printable decoded when it was sent so. */
  text: string;
}

export interface SmtpSink {
  /** GATEHOUSE_SMTP_URL for this server, with its user and password. */
  url: string;
  received: ReceivedMail[];
  /** While set, every recipient is refused with a 550, as a server that will not deliver. */
  refuse: boolean;
  /** While set, every recipient is deferred with a 451, as a server that is busy for now. */
  defer: boolean;
  /** While set, each message waits to be accepted until `release()`, as a slow server's may. */
  hold: boolean;
  /** Resolves once a message is waiting to be accepted: received whole, not yet answered. */
  holding(): Promise<void>;
  /** Accepts every message that waits. */
  release(): void;
  close(): Promise<void>;
}

const USER = 'gatehouse';
const PASS = 'smtp-test-password';

function decodeQuotedPrintable(body: string): string {
  return Buffer.from(
    body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

/** A header with RFC 2047 encoded words (how mailers send text outside ASCII) as plain text. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

/** A raw message as the tests read it: its subject and its decoded body. */
export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string): string => new RegExp(`^${name}: *(.*)$`, 'im').exec(head)?.[1] ?? '';
  const encoding = header('Content-Transfer-Encoding');
  const text = /quoted-printable/i.test(encoding)
    ? decodeQuotedPrintable(body)
    : /base64/i.test(encoding)
      ? Buffer.from(body, 'base64').toString('utf8')
      : body;
  return { from, to, raw, subject: decodeEncodedWords(header('Subject')), text };
}

/**
 * A real SMTP server on 127.0.0.1 (ephemeral port), in-process, that keeps what it receives.
 * Plain SMTP with AUTH, as a loopback relay may be; STARTTLS is off because its certificate
 * would be self-signed.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const sink = { refuse: false, defer: false, hold: false } as SmtpSink;
  const held: (() => void)[] = [];
  let heldOne = (): void => {};
  const holding = new Promise<void>((resolve) => (heldOne = resolve));
  sink.holding = () => holding;
  sink.release = () => {
    for (const accept of held.splice(0)) accept();
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASS) callback(null, { user: USER });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (sink.refuse) {
        // Quoting the address, as real servers' refusals do.
        callback(Object.assign(new Error(`<${address.address}>: Mailbox unavailable`), { responseCode: 550 }));
        return;
      }
      if (sink.defer) {
        callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const accept = (): void => {
          received.push(
            parseMail(
              Buffer.concat(chunks).toString('utf8'),
              from,
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          callback();
        };
        if (sink.hold) {
          held.push(accept);
          heldOne();
        } else accept();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  sink.url = `smtp://${USER}:${PASS}@127.0.0.1:${port}`;
  sink.received = received;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

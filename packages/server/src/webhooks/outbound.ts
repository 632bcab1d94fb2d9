import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isRefusedAddress } from './addresses.js';

/** A host the operator lets webhooks reach whatever its address (GATEHOUSE_WEBHOOK_ALLOWED_HOSTS). */
export interface AllowedHost {
  /** Lower case, IPv6 without brackets. */
  host: string;
  /** Any port when undefined. */
  port?: number;
}

/** The first kilobyte of a response is kept (the delivery log); the rest is not read. */
export const RESPONSE_EXCERPT_BYTES = 1024;
/** An attempt that takes longer has failed; the receiver should answer first and work after. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Why a webhook was not sent, or its answer not a success; `permanent` when retrying cannot help. */
export class WebhookSendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
    readonly status: number | null = null,
    readonly excerpt: string | null = null,
  ) {
    super(message);
    this.name = 'WebhookSendError';
  }
}

export interface WebhookResponse {
  status: number;
  excerpt: string;
}

export interface Destination {
  url: URL;
  /** Lower case, IPv6 without brackets. */
  host: string;
  port: number;
  allowed: boolean;
}

/** Reads GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: `host[:port]`, comma-separated, IPv6 in brackets. Throws with a message naming the bad entry. */
export function parseAllowedHosts(raw: string): AllowedHost[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/\s]+)(?::(\d{1,5}))?$/.exec(entry);
      const port = match?.[2] === undefined ? undefined : Number(match[2]);
      if (!match?.[1] || (port !== undefined && (port < 1 || port > 65535))) throw new Error(`"${entry.slice(0, 80)}" is not host or host:port`);
      return { host: match[1].replace(/^\[(.*)\]$/, '$1').toLowerCase(), port };
    });
}

/**
 * Checks a URL an endpoint is registered with, before any address is looked up: http(s), no
 * user name or password in it, https unless its host is allowed, and not an IP address webhooks
 * may not reach. Returns the reason it is refused, or undefined.
 */
export function destinationProblem(raw: string, allowed: readonly AllowedHost[]): string | undefined {
  let destination: Destination;
  try {
    destination = destinationOf(raw, allowed);
  } catch (error) {
    return (error as Error).message;
  }
  if (!destination.allowed && net.isIP(destination.host) !== 0 && isRefusedAddress(destination.host)) {
    return `${destination.host} is a private, loopback or reserved address`;
  }
  return undefined;
}

export function destinationOf(raw: string, allowed: readonly AllowedHost[]): Destination {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookSendError('not a URL', true);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookSendError('the URL must start with https://', true);
  if (url.username || url.password) throw new WebhookSendError('the URL must not hold a user name or password', true);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const isAllowed = allowed.some((a) => a.host === host && (a.port === undefined || a.port === port));
  if (url.protocol === 'http:' && !isAllowed)
    throw new WebhookSendError('the URL must start with https:// (plain http only to hosts in GATEHOUSE_WEBHOOK_ALLOWED_HOSTS)', true);
  return { url, host, port, allowed: isAllowed };
}

/**
 * The address to connect to: the host's, looked up once here, every address it has checked (a
 * name with one private address among public ones is refused: which one a connection would take
 * is not ours to choose). The connection then goes to this address and no other, so a name that
 * resolves differently a moment later (DNS rebinding) changes nothing.
 */
export async function resolveDestination(destination: Destination): Promise<{ address: string; family: 4 | 6 }> {
  const literal = net.isIP(destination.host);
  const found =
    literal !== 0
      ? [{ address: destination.host, family: literal }]
      : await dns.promises.lookup(destination.host, { all: true, verbatim: true }).catch((error: NodeJS.ErrnoException) => {
          throw new WebhookSendError(`${destination.host} could not be resolved (${error.code ?? 'lookup failed'})`);
        });
  if (found.length === 0) throw new WebhookSendError(`${destination.host} has no address`);
  if (!destination.allowed) {
    const refused = found.find((a) => isRefusedAddress(a.address));
    if (refused) {
      throw new WebhookSendError(
        `${destination.host} resolves to ${refused.address}, a private, loopback or reserved address (allow it with GATEHOUSE_WEBHOOK_ALLOWED_HOSTS)`,
        literal !== 0,
      );
    }
  }
  const first = found[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * POSTs `body` to `url`: to the address checked above, redirects not followed (a 3xx is a
 * failure like any non-2xx), at most RESPONSE_EXCERPT_BYTES of the answer read, and the whole
 * attempt bounded by WEBHOOK_TIMEOUT_MS. Resolves with any 2xx; rejects with a WebhookSendError.
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  allowed: readonly AllowedHost[],
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<WebhookResponse> {
  const destination = destinationOf(rawUrl, allowed);
  const { address, family } = await resolveDestination(destination);
  const { url } = destination;
  const transport = url.protocol === 'https:' ? https : http;
  const pinned: net.LookupFunction = (_hostname, options, callback) => {
    // Node asks for every address when it may try several (autoSelectFamily); it gets the one.
    if ((options as dns.LookupOptions).all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  return new Promise<WebhookResponse>((resolve, reject) => {
    const request = transport.request(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: destination.host,
        port: destination.port,
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
        // TLS checks the certificate against the name in the URL, not the address connected to.
        ...(url.protocol === 'https:' && net.isIP(destination.host) === 0 ? { servername: destination.host } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = (): void => {
          clearTimeout(timer);
          const excerpt = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
          const status = response.statusCode ?? 0;
          response.destroy();
          if (status >= 200 && status < 300) resolve({ status, excerpt });
          else {
            const moved = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
            reject(new WebhookSendError(`the endpoint answered ${status}${moved}`, false, status, excerpt));
          }
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_EXCERPT_BYTES) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
      },
    );
    const timer = setTimeout(() => request.destroy(new WebhookSendError(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(
        error instanceof WebhookSendError ? error : new WebhookSendError(`could not be reached (${(error as NodeJS.ErrnoException).code ?? error.message})`),
      );
    });
    request.end(body);
  });
}

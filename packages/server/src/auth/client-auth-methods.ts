import type { Context } from 'hono';
import { OAuthError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { Client } from '../store/repos/clients.js';
import { matchesHash } from '../tokens/random.js';

/** What a request presented: the client it names and, for a secret method, the secret. */
export interface PresentedCredentials {
  clientId: string;
  secret: string | null;
}

/** The parts of a token, revocation or introspection request client authentication reads. */
export interface ClientAuthRequest {
  readonly context: Context;
  readonly params: Params;
  /** The Authorization header, if any. */
  readonly authorization: string | undefined;
}

/**
 * One client authentication method (RFC 6749 §2.3, OIDC Core §9), keyed by its registered
 * name (discovery's token_endpoint_auth_methods_supported). `uses` says cheaply whether the
 * request carries this method's credentials, so using two is refused before any is read; `read`
 * then parses them (throwing for malformed ones) and `verify` checks them against the client.
 */
export interface ClientAuthMethod {
  readonly name: string;
  /** Whether the method reads the Authorization header (an unclaimed one is refused). */
  readonly readsHeader: boolean;
  /** Whether a success proves a confidential client (introspection takes only these). */
  readonly confidential: boolean;
  /** Whether a failure answers with the Basic challenge (RFC 6749 §5.2). */
  readonly challenge: boolean;
  uses(request: ClientAuthRequest): boolean;
  read(request: ClientAuthRequest): PresentedCredentials;
  /**
   * Undefined when the credentials authenticate `client` at `now` (the issuer's clock, Unix
   * seconds), else why not (the invalid_client description).
   */
  verify(client: Client, presented: PresentedCredentials, now: number): string | undefined;
}

export const BASIC_CHALLENGE = 'Basic realm="gatehouse", charset="UTF-8"';
export const AUTHENTICATION_FAILED = 'Client authentication failed';

/** `reason` and the client id presented (unverified, never the secret) go to the security log. */
export function invalidClient(challenge: boolean, description = AUTHENTICATION_FAILED, reason = 'malformed', clientId?: string): OAuthError {
  const logged = { event: 'client_auth_failed', fields: { reason, client_id: clientId?.slice(0, 200) } };
  return new OAuthError('invalid_client', description, challenge ? { headers: { 'WWW-Authenticate': BASIC_CHALLENGE }, logged } : { logged });
}

const BAD_BASIC = 'The Authorization header is not valid Basic credentials';

/**
 * A client secret method: a confidential client's secret, compared by its hash; during a
 * rotation's overlap window the previous secret too, and never once it has expired.
 */
function verifySecret(client: Client, presented: PresentedCredentials, now: number): string | undefined {
  if (client.isPublic) return 'This public client has no secret';
  if (presented.secret === null || client.secretHash === null) return AUTHENTICATION_FAILED;
  if (matchesHash(presented.secret, client.secretHash)) return undefined;
  const previous = client.previousSecret;
  if (previous && now < previous.expiresAt && matchesHash(presented.secret, previous.hash)) return undefined;
  return AUTHENTICATION_FAILED;
}

/** RFC 6749 §2.3.1: both parts are form-urlencoded before base64. */
export const CLIENT_SECRET_BASIC: ClientAuthMethod = {
  name: 'client_secret_basic',
  readsHeader: true,
  confidential: true,
  challenge: true,
  uses: ({ authorization }) => authorization !== undefined && /^basic /i.test(authorization),
  read({ authorization = '', params }) {
    const encoded = authorization.slice(6).trim();
    let decoded: string;
    try {
      if (!/^[A-Za-z0-9+/]+=*$/.test(encoded)) throw new Error('not base64');
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
    } catch {
      throw invalidClient(true, BAD_BASIC);
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidClient(true, BAD_BASIC);
    let clientId: string;
    let secret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      // No client id holds a NUL, and PostgreSQL would refuse one in a parameter (see form.ts).
      if (clientId.includes('\u0000')) throw new Error('NUL in client id');
    } catch {
      throw invalidClient(true, BAD_BASIC);
    }
    const postId = params.get('client_id');
    if (postId !== undefined && postId !== clientId) throw new OAuthError('invalid_request', 'client_id does not match the Authorization header');
    return { clientId, secret };
  },
  verify: verifySecret,
};

/** RFC 6749 §2.3.1: client_id and client_secret in the body. */
export const CLIENT_SECRET_POST: ClientAuthMethod = {
  name: 'client_secret_post',
  readsHeader: false,
  confidential: true,
  challenge: false,
  uses: ({ params }) => params.has('client_secret'),
  read({ params }) {
    const clientId = params.get('client_id');
    if (clientId === undefined) throw invalidClient(false, 'Client authentication is required', 'missing');
    return { clientId, secret: params.get('client_secret') ?? null };
  },
  verify: verifySecret,
};

/** A public client names itself with client_id alone (RFC 6749 §3.2.1); PKCE binds its codes. */
export const NONE: ClientAuthMethod = {
  name: 'none',
  readsHeader: false,
  confidential: false,
  challenge: false,
  uses: ({ authorization, params }) => authorization === undefined && params.has('client_id') && !params.has('client_secret'),
  read: ({ params }) => ({ clientId: params.get('client_id') ?? '', secret: null }),
  verify: (client) => (client.isPublic ? undefined : AUTHENTICATION_FAILED),
};

/** The client authentication methods of an issuer, by name, fixed when built. */
export class ClientAuthRegistry {
  readonly methods: readonly ClientAuthMethod[];
  /** token_endpoint_auth_methods_supported (and revocation's). */
  readonly names: readonly string[];
  /** introspection_endpoint_auth_methods_supported: the methods that prove a confidential client. */
  readonly confidentialNames: readonly string[];
  readonly #readsHeader: boolean;
  readonly #byName: ReadonlyMap<string, ClientAuthMethod>;

  constructor(methods: readonly ClientAuthMethod[]) {
    const byName = new Map<string, ClientAuthMethod>();
    for (const method of methods) {
      if (byName.has(method.name)) throw new Error(`two client authentication methods named "${method.name}"`);
      byName.set(method.name, method);
    }
    this.#byName = byName;
    this.methods = [...methods];
    this.names = methods.map((m) => m.name);
    this.confidentialNames = methods.filter((m) => m.confidential).map((m) => m.name);
    this.#readsHeader = methods.some((m) => m.readsHeader);
  }

  get(name: string): ClientAuthMethod | undefined {
    return this.#byName.get(name);
  }

  /**
   * The one method the request uses. An Authorization header no method reads gets the Basic
   * challenge (RFC 6749 §5.2); more than one method is invalid_request (§2.3); none at all is
   * invalid_client.
   */
  presented(request: ClientAuthRequest): ClientAuthMethod {
    const header = request.authorization;
    if (header !== undefined && !this.methods.some((m) => m.readsHeader && m.uses(request))) {
      throw invalidClient(this.#readsHeader, 'Unsupported client authentication scheme', 'unsupported_scheme');
    }
    let found: ClientAuthMethod | undefined;
    for (const method of this.methods) {
      if (!method.uses(request)) continue;
      if (found) throw new OAuthError('invalid_request', 'Use one client authentication method, not several');
      found = method;
    }
    if (!found) throw invalidClient(false, 'Client authentication is required', 'missing');
    return found;
  }
}

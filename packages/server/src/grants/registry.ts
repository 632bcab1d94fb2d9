import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { TokenResponse } from './token-set.js';

/**
 * One grant type of the token endpoint (RFC 6749 §4, §6, and extensions such as the device
 * grant): the `grant_type` value it answers and its handler, which runs after the client is
 * authenticated and allowed the grant. A new grant is one module exporting one of these, added
 * to the registry the issuer's scope carries (issuers/registries.ts).
 */
export interface GrantTypeHandler {
  /** The `grant_type` value, e.g. authorization_code or urn:ietf:params:oauth:grant-type:device_code. */
  readonly type: string;
  handle(scope: IssuerScope, client: Client, params: Params): Promise<TokenResponse>;
}

/** The grant types one issuer answers, fixed when built: the token endpoint's lookup is a Map read. */
export class GrantRegistry {
  readonly #byType: ReadonlyMap<string, GrantTypeHandler>;
  /** Discovery's grant_types_supported, in registration order. */
  readonly types: readonly string[];
  /** The description of unsupported_grant_type, made once. */
  readonly unsupportedMessage: string;

  constructor(handlers: readonly GrantTypeHandler[]) {
    const byType = new Map<string, GrantTypeHandler>();
    for (const handler of handlers) {
      if (byType.has(handler.type)) throw new Error(`two handlers for the grant type "${handler.type}"`);
      byType.set(handler.type, handler);
    }
    this.#byType = byType;
    this.types = [...byType.keys()];
    this.unsupportedMessage = `Supported grant types: ${this.types.join(', ')}`;
  }

  get(type: string): GrantTypeHandler | undefined {
    return this.#byType.get(type);
  }
}

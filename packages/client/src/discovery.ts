import * as oauth from 'oauth4webapi';
import { type ProviderHttp, oauthRequestOptions } from './http.js';
import { guard } from './map-error.js';

export type ProviderMetadata = oauth.AuthorizationServer;

/**
 * OpenID Provider metadata, fetched once and kept for the life of the instance. A failed fetch is
 * not cached, so the next call tries again.
 */
export class Discovery {
  private pending: Promise<ProviderMetadata> | undefined;
  /** The metadata once loaded, for the few synchronous callers (logoutUrl). */
  current: ProviderMetadata | undefined;

  constructor(
    readonly issuer: URL,
    private readonly http: ProviderHttp,
  ) {}

  get(): Promise<ProviderMetadata> {
    this.pending ??= this.load().then(
      (metadata) => {
        this.current = metadata;
        return metadata;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  private load(): Promise<ProviderMetadata> {
    return guard(async () => {
      const response = await oauth.discoveryRequest(this.issuer, { ...oauthRequestOptions(this.http), algorithm: 'oidc' });
      return oauth.processDiscoveryResponse(this.issuer, response);
    });
  }
}

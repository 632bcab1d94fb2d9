import * as oauth from 'oauth4webapi';
import { NetworkError } from './errors.js';

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Requests to the provider give up after this long, so a hung provider cannot hang the app. */
export const PROVIDER_TIMEOUT_MS = 30_000;

/**
 * Wraps a fetch so that every transport failure surfaces as NetworkError. With `timeoutMs`, a
 * request without its own signal is aborted after that long.
 */
export function guardedFetch(fetchImpl: FetchLike, timeoutMs?: number): FetchLike {
  return async (input, init) => {
    const withTimeout = timeoutMs !== undefined && !init?.signal ? { ...init, signal: AbortSignal.timeout(timeoutMs) } : init;
    try {
      return await fetchImpl(input, withTimeout);
    } catch (error) {
      throw new NetworkError(`Request to ${describe(input)} failed`, { cause: error });
    }
  };
}

function describe(input: RequestInfo | URL): string {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    const url = new URL(href);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'the server';
  }
}

/** `http:` is only acceptable for a provider on the developer's own machine (RFC 8252 §8.3 spirit). */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export interface ProviderHttp {
  fetch: FetchLike;
  allowHttp: boolean;
}

export function providerHttp(issuer: URL, fetchImpl: FetchLike | undefined): ProviderHttp {
  const base = fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  return { fetch: guardedFetch(base, PROVIDER_TIMEOUT_MS), allowHttp: isLoopbackHttp(issuer) };
}

/** The transport options every oauth4webapi request of this SDK takes. */
export function oauthRequestOptions(http: ProviderHttp): {
  [oauth.customFetch]: (url: string, options: oauth.CustomFetchOptions<string, unknown>) => Promise<Response>;
  [oauth.allowInsecureRequests]: boolean;
} {
  return {
    [oauth.customFetch]: (url, options) => http.fetch(url, options as RequestInit),
    [oauth.allowInsecureRequests]: http.allowHttp,
  };
}

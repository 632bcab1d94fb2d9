import type { IssuerScope } from '../issuers/scope.js';

/** The audience of an issuer's Admin API tokens (RFC 8707 resource): no other issuer's API takes them. */
export function adminAudience(scope: Pick<IssuerScope, 'href'>): string {
  return scope.href('/admin/api');
}

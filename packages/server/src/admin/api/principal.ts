import type { Context } from 'hono';
import { bearerToken, invalidToken } from '../../http/bearer.js';
import { DEFAULT_ISSUER_ID } from '../../issuers/ids.js';
import type { IssuerScope } from '../../issuers/scope.js';
import { activeAccessToken } from '../../tokens/access-token-check.js';
import { adminAudience } from '../audience.js';
import { type AdminPermission, type AdminRole, rolePermissions, scopePermissions } from '../roles.js';
import { Problem } from './problem.js';

/** Who is calling the Admin API, and what they may do at this issuer. */
export interface AdminPrincipal {
  kind: 'person' | 'machine';
  /** The user id (a person) or client id (a machine). */
  id: string;
  /** What events record as the actor: `user:<id>` or `client:<id>`. */
  actor: string;
  /** A person's role here; none for machines. */
  role: AdminRole | undefined;
  permissions: readonly AdminPermission[];
}

function isFor(aud: string | string[], audience: string): boolean {
  return Array.isArray(aud) ? aud.includes(audience) : aud === audience;
}

const insufficient = (detail: string): Problem =>
  new Problem(403, 'insufficient_scope', 'Not allowed', detail, [], {
    'WWW-Authenticate': `Bearer realm="gatehouse", error="insufficient_scope", error_description="${detail}"`,
  });

/**
 * The caller behind the request's bearer token (RFC 6750 §2.1 header only): one of this
 * issuer's access tokens (RFC 9068) for the Admin API's audience, live (not revoked, its grant
 * not ended). A person's token counts while they hold an admin role here and are not disabled;
 * a machine's (client_credentials) while its client exists and is still allowed the scopes.
 */
export async function adminPrincipal(scope: IssuerScope, c: Context): Promise<AdminPrincipal> {
  const token = bearerToken(c, undefined);
  const active = await activeAccessToken(scope, token);
  if (!active) throw invalidToken();
  const { claims } = active;
  if (!isFor(claims.aud, adminAudience(scope)))
    throw invalidToken(`The access token is not for the Admin API; ask for one with resource=${adminAudience(scope)}`);
  if (active.grant) {
    const [user, role] = await Promise.all([scope.repos.users.findById(claims.sub), scope.repos.adminRoles.find(claims.sub)]);
    if (!user || user.disabled) throw invalidToken();
    if (!role) throw insufficient('This account does not administer this issuer');
    return { kind: 'person', id: user.id, actor: `user:${user.id}`, role, permissions: rolePermissions(role, scope.id === DEFAULT_ISSUER_ID) };
  }
  const client = await scope.repos.clients.find(claims.client_id);
  if (!client) throw invalidToken();
  // A scope taken away from the client ends what its live tokens may do at once.
  const scopes = claims.scope.split(' ').filter((s) => client.scopes.includes(s));
  const permissions = scopePermissions(scopes);
  if (permissions.length === 0) throw insufficient('The access token needs the admin:read or admin:write scope');
  return { kind: 'machine', id: client.id, actor: `client:${client.id}`, role: undefined, permissions };
}

/** Refuses a caller without `need` (403, naming what was missing). */
export function requirePermission(principal: AdminPrincipal, need: AdminPermission): void {
  if (principal.permissions.includes(need)) return;
  const detail =
    principal.kind === 'machine'
      ? need === 'read' || need === 'write'
        ? `The access token needs the admin:${need} scope`
        : 'Only people with the owner role may do this'
      : need === 'system'
        ? 'Only owners of the default issuer manage issuers'
        : `The ${principal.role} role may not do this`;
  throw insufficient(detail);
}

import type { Hono } from 'hono';
import { issuerScope } from '../../http/scope.js';
import { VERSION } from '../../cli/version.js';
import { ADMIN_ROUTES } from './admins.js';
import { AUDIT_LOG_ROUTES } from './audit-log.js';
import { ISSUER_ROUTES } from './issuers.js';
import { SETTINGS_ROUTES } from './settings.js';
import { CLIENT_ROUTES } from './clients.js';
import { STATS_ROUTES } from './stats.js';
import { USER_ROUTES } from './users.js';
import { ORGANIZATION_ROUTES } from './organizations.js';
import { ORGANIZATION_MEMBER_ROUTES } from './organization-members.js';
import { KEY_ROUTES } from './keys.js';
import { WEBHOOK_ROUTES } from './webhooks.js';
import { ACCOUNT_CLOSURE_ROUTES } from './account-closures.js';
import { CLAIM_ROUTES } from './claims.js';
import { UPSTREAM_PROVIDER_ROUTES } from './upstream-providers.js';
import { ORGANIZATION_SSO_ROUTES } from './organization-sso.js';
import { API_BASE, type AdminRoute, registerRoutes } from './define.js';
import { openApiDocument } from './openapi.js';
import { Problem, sendProblem } from './problem.js';

/** Every route of the Admin API, in the order the OpenAPI document lists them. */
export const ADMIN_API_ROUTES: readonly AdminRoute[] = [
  ...STATS_ROUTES,
  ...CLIENT_ROUTES,
  ...USER_ROUTES,
  ...ACCOUNT_CLOSURE_ROUTES,
  ...ORGANIZATION_ROUTES,
  ...ORGANIZATION_MEMBER_ROUTES,
  ...ADMIN_ROUTES,
  ...AUDIT_LOG_ROUTES,
  ...SETTINGS_ROUTES,
  ...ISSUER_ROUTES,
  ...KEY_ROUTES,
  ...WEBHOOK_ROUTES,
  ...CLAIM_ROUTES,
  ...UPSTREAM_PROVIDER_ROUTES,
  ...ORGANIZATION_SSO_ROUTES,
];

/** The Admin API at `<issuer>/admin/api/v1` (docs/admin-api.md), with its OpenAPI document. */
export function registerAdminApi(app: Hono): void {
  // Describes the API, not the issuer's data: readable without a token, like discovery.
  app.get(`${API_BASE}/openapi.json`, (c) => {
    const scope = issuerScope(c);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(openApiDocument(scope, ADMIN_API_ROUTES, VERSION));
  });
  registerRoutes(app, ADMIN_API_ROUTES);
  // Anything else under the API is a problem too, never the protocol's JSON or a page.
  app.all(`${API_BASE}/*`, (c) => sendProblem(c, new Problem(404, 'not_found', 'Not found', 'No such Admin API route')));
}

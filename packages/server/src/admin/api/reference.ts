import { VERSION } from '../../cli/version.js';
import { openApiDocument } from './openapi.js';
import { ADMIN_API_ROUTES } from './routes.js';

/** The issuer docs/admin-api.openapi.json describes: the README's quick start. */
const DOCUMENTED_ISSUER = 'http://localhost:3000';

/**
 * The OpenAPI document as docs/admin-api.openapi.json holds it: the one a default issuer at
 * http://localhost:3000 serves at /admin/api/v1/openapi.json (scripts/openapi-doc.ts writes it).
 */
export function openApiReference(): string {
  const site = { href: (route: string): string => `${DOCUMENTED_ISSUER}${route}`, settings: { brand: { name: 'Gatehouse' } } };
  return `${JSON.stringify(openApiDocument(site, ADMIN_API_ROUTES, VERSION), null, 2)}\n`;
}

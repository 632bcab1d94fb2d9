import type { IssuerSettings } from '../issuers/settings.js';

/** What a page needs of its issuer: the branding, the route builder, and whether mail is on. */
export interface Site {
  settings: Pick<IssuerSettings, 'brand'>;
  /** The path of a route of the issuer on its host (pages never hold an absolute path). */
  path(route: string): string;
  services: { config: { mail: unknown } };
}

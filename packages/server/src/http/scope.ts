import type { Context } from 'hono';
import type { IssuerScope } from '../issuers/scope.js';

/** What the app's fetch hands each request, beside the Node adapter's own bindings (app.ts). */
export interface IssuerBindings {
  scope: IssuerScope;
  /** The route inside the issuer: the path with the issuer's prefix taken off. */
  route: string;
}

/** The issuer the request is for, resolved once before routing (app.ts). */
export function issuerScope(c: Context): IssuerScope {
  return (c.env as IssuerBindings).scope;
}

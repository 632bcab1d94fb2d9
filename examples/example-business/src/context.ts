import { IdpClient, type ResourceServer, createResourceServer } from '@gatehouse/client';
import type { Store } from 'express-session';
import type { ExampleConfig } from './config.js';
import { SignedInSessions } from './signed-in-sessions.js';

/** Optional collaborators: a shared session store in production; tests also move the clock. */
export interface AppDeps {
  /** Seconds since the epoch, shared by the SDK and the demo API (tests move time forward). */
  clock?: () => number;
  /** Where sessions live (default: express-session's in-memory store). */
  sessionStore?: Store;
  /** Where sign-in failures and similar events are reported (default: console.warn). */
  log?: (message: string) => void;
}

/** What every route needs: settings, one IdpClient and one resource server for the process. */
export interface AppContext {
  config: ExampleConfig;
  idp: IdpClient;
  api: ResourceServer;
  /** The demo API's URL, called server-side with the user's access token. */
  ordersUrl: string;
  /** The app's sessions by Gatehouse session and user, for back-channel logout. */
  signedIn: SignedInSessions;
  log: (message: string) => void;
}

/** Gatehouse's authentication context class for a sign-in with two factors (its discovery lists acr_values_supported). */
export const ACR_TWO_FACTORS = 'urn:gatehouse:acr:2fa';

/** The scopes the app asks for: sign-in, the profile it shows, and its own API's scope. */
export const SCOPES = ['openid', 'profile', 'email', 'orders'];

export function createContext(config: ExampleConfig, deps: AppDeps): AppContext {
  // One instance each per process: they cache discovery, keys, and in-flight refreshes.
  const idp = new IdpClient({
    issuerUrl: config.issuerUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    clock: deps.clock,
  });
  const api = createResourceServer({ issuerUrl: config.issuerUrl, audience: config.apiAudience, clock: deps.clock });
  return {
    config,
    idp,
    api,
    ordersUrl: `${config.appUrl}/api/orders`,
    signedIn: new SignedInSessions(),
    log: deps.log ?? ((message) => console.warn(message)),
  };
}

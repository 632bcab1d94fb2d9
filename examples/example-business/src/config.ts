import { randomBytes } from 'node:crypto';

/** The callback route this app serves; GATEHOUSE_REDIRECT_URI must point at it. */
export const CALLBACK_PATH = '/api/auth/callback/gatehouse';
/** Where Gatehouse POSTs logout tokens (register it as the client's backchannel_logout_uri). */
export const BACKCHANNEL_LOGOUT_PATH = '/api/auth/backchannel-logout';

export interface ExampleConfig {
  port: number;
  /** The app's public origin (taken from the redirect URI), e.g. http://localhost:4000. */
  appUrl: string;
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** The demo API's identifier: access tokens must carry it in `aud`. */
  apiAudience: string;
  sessionSecret: string;
  /** True when EXAMPLE_SESSION_SECRET was not set: sessions then end when the process restarts. */
  sessionSecretIsRandom: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function required(env: Env, name: string, hint: string): string {
  const value = read(env, name);
  if (!value) throw new ConfigError(`${name} is not set. ${hint}`);
  return value;
}

function absoluteUrl(name: string, raw: string): URL {
  if (!URL.canParse(raw)) throw new ConfigError(`${name} must be an absolute URL, got "${raw}"`);
  return new URL(raw);
}

function readPort(env: Env): number {
  const raw = read(env, 'PORT') ?? '4000';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new ConfigError(`PORT must be a port number, got "${raw}"`);
  return port;
}

/** Reads the app's settings from an environment in the style of the .env file (see .env.example). */
export function loadConfig(env: Env = process.env): ExampleConfig {
  const hint = 'Run `npm run example` from the repository root, or register a client (see README.md) and fill in .env.';
  const port = readPort(env);
  const redirectUri = read(env, 'GATEHOUSE_REDIRECT_URI') ?? `http://localhost:${port}${CALLBACK_PATH}`;
  const redirect = absoluteUrl('GATEHOUSE_REDIRECT_URI', redirectUri);
  // The route is fixed, so a redirect URI elsewhere would send users to a 404 after signing in.
  if (redirect.pathname !== CALLBACK_PATH) {
    throw new ConfigError(`GATEHOUSE_REDIRECT_URI must end with ${CALLBACK_PATH}, got "${redirectUri}"`);
  }
  const appUrl = redirect.origin;
  const issuerUrl = (read(env, 'GATEHOUSE_ISSUER') ?? 'http://localhost:3000').replace(/\/+$/, '');
  absoluteUrl('GATEHOUSE_ISSUER', issuerUrl);
  const apiAudience = read(env, 'EXAMPLE_API_AUDIENCE') ?? `${appUrl}/api`;
  const configuredSecret = read(env, 'EXAMPLE_SESSION_SECRET');
  if (configuredSecret !== undefined && configuredSecret.length < 32) {
    throw new ConfigError('EXAMPLE_SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)');
  }
  return {
    port,
    appUrl,
    issuerUrl,
    clientId: required(env, 'GATEHOUSE_CLIENT_ID', hint),
    clientSecret: required(env, 'GATEHOUSE_CLIENT_SECRET', hint),
    redirectUri,
    apiAudience,
    sessionSecret: configuredSecret ?? randomBytes(32).toString('base64url'),
    sessionSecretIsRandom: configuredSecret === undefined,
  };
}

/** The console's routes inside an issuer (`<issuer>/admin/...`). */
export const CONSOLE = '/admin';

export const CONSOLE_PATHS = {
  overview: '/admin',
  signIn: '/admin/signin',
  callback: '/admin/callback',
  signOut: '/admin/signout',
  setup: '/admin/setup',
  apps: '/admin/applications',
  newApp: '/admin/applications/new',
  users: '/admin/users',
  closures: '/admin/account-closures',
  organizations: '/admin/organizations',
  branding: '/admin/branding',
  settings: '/admin/settings',
  keys: '/admin/keys',
  webhooks: '/admin/webhooks',
  upstreamProviders: '/admin/sign-in-providers',
  apis: '/admin/apis',
  audit: '/admin/audit-log',
  inspector: '/admin/token-inspector',
  tryCallback: '/admin/try/callback',
  issuers: '/admin/issuers',
  stylesheet: '/admin/assets/console.css',
  script: '/admin/assets/console.js',
} as const;

/** Whether a route is one of the console's pages (not the Admin API under it). */
export function isConsolePath(route: string): boolean {
  return (route === CONSOLE || route.startsWith(`${CONSOLE}/`)) && !route.startsWith(`${CONSOLE}/api/`);
}

/**
 * A return path after sign-in: only a console page of this issuer, never another site
 * (an open redirect) or the Admin API.
 */
export function safeReturnTo(value: string | undefined | null): string {
  if (!value || value.length > 500 || !value.startsWith(`${CONSOLE}`) || value.startsWith('//') || /[\\\s]/.test(value)) return CONSOLE;
  const path = value.split(/[?#]/)[0] ?? CONSOLE;
  return isConsolePath(path) && path !== CONSOLE_PATHS.callback && path !== CONSOLE_PATHS.signIn ? value : CONSOLE;
}

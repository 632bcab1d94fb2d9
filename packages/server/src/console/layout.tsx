/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { IssuerScope } from '../issuers/scope.js';
import type { Html } from '../pages/layout.js';
import type { ConsoleKey } from './text/catalog.js';
import type { ConsoleText } from './text/translate.js';
import { CONSOLE_PATHS } from './paths.js';

/** What every console page is drawn with. */
export interface Frame {
  scope: IssuerScope;
  t: ConsoleText;
  /** The signed-in operator; none on the sign-in and setup pages. */
  operator?: { email: string; role: string; system: boolean; csrf: string };
  /** The route of the page, to mark its entry in the navigation. */
  current?: string;
}

const NAV: { path: string; key: ConsoleKey; system?: boolean }[] = [
  { path: CONSOLE_PATHS.overview, key: 'nav.overview' },
  { path: CONSOLE_PATHS.apps, key: 'nav.apps' },
  { path: CONSOLE_PATHS.users, key: 'nav.users' },
  { path: CONSOLE_PATHS.organizations, key: 'nav.organizations' },
  { path: CONSOLE_PATHS.branding, key: 'nav.branding' },
  { path: CONSOLE_PATHS.settings, key: 'nav.settings' },
  { path: CONSOLE_PATHS.keys, key: 'nav.keys' },
  { path: CONSOLE_PATHS.webhooks, key: 'webhooks.nav' },
  { path: CONSOLE_PATHS.upstreamProviders, key: 'idp.nav' },
  { path: CONSOLE_PATHS.apis, key: 'claims.nav' },
  { path: CONSOLE_PATHS.audit, key: 'nav.audit' },
  { path: CONSOLE_PATHS.inspector, key: 'nav.inspector' },
  { path: CONSOLE_PATHS.issuers, key: 'nav.issuers', system: true },
];

function isCurrent(entry: string, current: string | undefined): boolean {
  if (!current) return false;
  return entry === CONSOLE_PATHS.overview ? current === entry : current === entry || current.startsWith(`${entry}/`);
}

/** The hidden CSRF field of every console form. */
export function Csrf(props: { frame: Frame }): Html {
  return <input type="hidden" name="csrf" value={props.frame.operator?.csrf ?? ''} />;
}

/**
 * The frame of every console page: the issuer's name, the navigation and who is signed in.
 * Like the hosted pages: no inline script or style (the CSP forbids both), and every page works
 * without JavaScript; the one script only adds copy buttons and the branding preview.
 */
export function ConsoleLayout(props: { frame: Frame; title: string; children: Child }): Html {
  const { scope, t, operator, current } = props.frame;
  const brand = scope.settings.brand.name;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={t.locale} dir={t.dir}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} · ${t.t('console.name', { brand })}`}</title>
          <link rel="stylesheet" href={scope.path(CONSOLE_PATHS.stylesheet)} />
          <script src={scope.path(CONSOLE_PATHS.script)} defer />
        </head>
        <body class="console">
          <a class="skip" href="#content">
            {t.t('nav.skip')}
          </a>
          <header class="topbar">
            <a class="product" href={scope.path(CONSOLE_PATHS.overview)}>
              {t.t('console.name', { brand })}
            </a>
            {operator ? (
              <div class="who">
                <span>
                  {operator.email} <span class="role">{t.t(`role.${operator.role}` as ConsoleKey)}</span>
                </span>
                <form method="post" action={scope.path(CONSOLE_PATHS.signOut)}>
                  <Csrf frame={props.frame} />
                  <button type="submit" class="secondary small">
                    {t.t('nav.signOut')}
                  </button>
                </form>
              </div>
            ) : null}
          </header>
          <div class="shell">
            {operator ? (
              <nav aria-label={t.t('nav.label')}>
                <ul>
                  {NAV.filter((entry) => !entry.system || operator.system).map((entry) => (
                    <li>
                      <a href={scope.path(entry.path)} aria-current={isCurrent(entry.path, current) ? 'page' : undefined}>
                        {t.t(entry.key)}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            <main id="content" aria-labelledby="page-title">
              {props.children}
            </main>
          </div>
        </body>
      </html>
    </>
  );
}

/** A notice above a page's content: what just happened, or what went wrong. */
export function Notice(props: { kind: 'ok' | 'error'; children: Child }): Html {
  return (
    <p class={props.kind === 'ok' ? 'notice' : 'error'} role={props.kind === 'ok' ? 'status' : 'alert'}>
      {props.children}
    </p>
  );
}

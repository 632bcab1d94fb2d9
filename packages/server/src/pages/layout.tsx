/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The pragma above and not only tsconfig.json: tsx reads the tsconfig of the directory it was
// started in, so tests run from the repository root would compile JSX for React otherwise.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Site } from './site.js';
import type { Text, Translator } from './translator.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What every page component gets: its issuer and the language it is shown in. */
export interface PageProps {
  site: Site;
  t: Translator;
}

/**
 * The frame of every hosted page. JSX escapes every value; the stylesheet is a separate file so
 * the CSP can forbid inline styles and scripts altogether.
 */
export function Layout(props: PageProps & { title: string; children: Child; localTimes?: boolean }): Html {
  const { site, t } = props;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={t.locale} dir={t.dir}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>{`${props.title} · ${site.settings.brand.name}`}</title>
          <link rel="stylesheet" href={site.path('/assets/gatehouse.css')} />
          {props.localTimes ? <script src={site.path('/assets/local-time.js')} defer /> : null}
        </head>
        <body>
          <main class="card" aria-labelledby="page-title">
            <p class="brand">{site.settings.brand.name}</p>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

/**
 * A readable error page for people (never a stack trace or internal detail). `reference` is the
 * request id, which is in the request's log line: what a person quotes to the operator.
 */
export function ErrorPage(props: PageProps & { title: Text; message: Text; reference?: string }): Html {
  const { t } = props;
  const title = t.say(props.title);
  return (
    <Layout site={props.site} t={t} title={title}>
      <h1 id="page-title">{title}</h1>
      <p role="alert">{t.say(props.message)}</p>
      {props.reference ? <p class="muted reference">{t.rich('error.reference', { id: <code dir="ltr">{props.reference}</code> })}</p> : null}
    </Layout>
  );
}

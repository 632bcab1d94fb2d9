import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Site } from './site.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * The frame of every hosted page. Values interpolated with `html` are escaped; the stylesheet is
 * a separate file so the CSP can forbid inline styles and scripts altogether.
 */
export function layout(site: Site, title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${title} · ${site.settings.brand.name}</title>
    <link rel="stylesheet" href="${site.path('/assets/gatehouse.css')}" />
  </head>
  <body>
    <main class="card" aria-labelledby="page-title">
      <p class="brand">${site.settings.brand.name}</p>
      ${body}
    </main>
  </body>
</html>`;
}

/** A readable error page for people (never a stack trace or internal detail). */
export function errorPage(site: Site, title: string, message: string): Html {
  return layout(
    site,
    title,
    html`<h1 id="page-title">${title}</h1>
      <p role="alert">${message}</p>`,
  );
}

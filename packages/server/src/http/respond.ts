import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Html } from '../pages/layout.js';

/*
 * @hono/node-server writes a response straight from its string body only when the body is a
 * primitive string. `c.html()` of a hono/html template passes a String object and `c.redirect()`
 * a null body; both fall back to building a WHATWG Response and streaming it, which cost a
 * quarter of a page request's CPU. These two helpers keep pages and redirects on the direct path.
 */

/** An HTML page, rendered to a primitive string. */
export async function sendPage(c: Context, page: Html, status?: ContentfulStatusCode): Promise<Response> {
  return c.html((await page).toString(), status);
}

/** 303 See Other to `location`, with an empty body (Content-Length: 0). */
export function seeOther(c: Context, location: string): Response {
  // As c.redirect(): a Location with characters outside Latin-1 is percent-encoded.
  c.header('Location', /[^\x00-\xFF]/.test(location) ? encodeURI(location) : location);
  return c.body('', 303);
}

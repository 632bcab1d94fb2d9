import { HttpBrowser, formIn } from '../../../../packages/server/test/helpers/http-browser.js';

export interface Page {
  url: string;
  status: number;
  html: string;
  headers: Headers;
}

/**
 * A fetch-based browser with one cookie jar per host name, as real browsers keep them, that
 * follows redirects across hosts (the app on localhost, Gatehouse on 127.0.0.1).
 */
export class Browser {
  readonly #jars = new Map<string, HttpBrowser>();
  /** Every Set-Cookie header received, by host name. */
  readonly setCookies: { host: string; header: string }[] = [];

  jar(url: string): HttpBrowser {
    const host = new URL(url).hostname;
    const known = this.#jars.get(host);
    if (known) return known;
    const jar = new HttpBrowser();
    this.#jars.set(host, jar);
    return jar;
  }

  /** One request, redirects not followed. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await this.jar(url).request(url, init);
    for (const header of res.headers.getSetCookie()) this.setCookies.push({ host: new URL(url).hostname, header });
    return res;
  }

  /** Follows redirects (GET after the first hop) until a page that is not a redirect. */
  async follow(url: string, init: RequestInit = {}): Promise<Page> {
    let current = url;
    let res = await this.request(current, init);
    for (let hops = 0; hops < 15; hops++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        return { url: current, status: res.status, html: await res.text(), headers: res.headers };
      }
      current = new URL(location, current).href;
      res = await this.request(current);
    }
    throw new Error('too many redirects');
  }

  /** Submits the form whose action contains `actionPart` with its hidden fields plus `fields`. */
  submit(page: Page, actionPart: string, fields: Record<string, string | string[]>): Promise<Page> {
    const form = formIn(page.html, actionPart);
    const body = new URLSearchParams(form.hidden);
    for (const [name, value] of Object.entries(fields)) {
      body.delete(name);
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.follow(new URL(form.action, page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}

export const ALL_SCOPES = ['openid', 'profile', 'email', 'orders'];

/** Home → "Sign in with Gatehouse" → login form → consent (approve or deny) → back at the app. */
export async function signIn(browser: Browser, appUrl: string, email: string, password: string, decision: 'approve' | 'deny' = 'approve'): Promise<Page> {
  const home = await browser.follow(`${appUrl}/`);
  const href = /<a[^>]*href="([^"]+)"[^>]*id="sign-in"/.exec(home.html)?.[1];
  if (!href) throw new Error(`no sign-in link on the home page:\n${home.html}`);
  let page = await browser.follow(new URL(href, appUrl).href);
  if (!page.html.includes('id="login-form"')) throw new Error(`expected the Gatehouse login page, got ${page.url}:\n${page.html.slice(0, 500)}`);
  page = await browser.submit(page, '/login', { email, password });
  if (!page.html.includes('id="consent-form"')) throw new Error(`expected the consent page, got ${page.url}:\n${page.html.slice(0, 500)}`);
  return browser.submit(page, '/consent', decision === 'approve' ? { decision, scope: ALL_SCOPES } : { decision });
}

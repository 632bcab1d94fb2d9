/**
 * A minimal browser for tests: a cookie jar over fetch that follows redirects by hand, so a test
 * can stop at the client's redirect_uri, and reads forms out of the hosted pages.
 */
type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

export interface Page {
  url: string;
  status: number;
  html: string;
}

export class HttpBrowser {
  private cookies: StoredCookie[] = [];

  constructor(private readonly fetchFn: Fetch = (input, init) => fetch(input, init)) {}

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const pathAttr = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='));
      const path = pathAttr ? pathAttr.slice(5) : url.pathname.replace(/\/[^/]*$/, '') || '/';
      const expired = attrs.some((a) => /^max-age=0$/i.test(a.trim())) || value === '';
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired) this.cookies.push({ name, value, path });
    }
  }

  /** One request with this browser's cookies; redirects are returned, not followed. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set('cookie', cookie);
    const res = await this.fetchFn(target.href, { ...init, headers, redirect: 'manual' });
    this.store(target, res);
    return res;
  }

  /**
   * Follows redirects while they stay under `origin`; returns the first URL outside it (the
   * client's redirect_uri) or the page where the chain stops.
   */
  async navigate(url: string, origin: string, init: RequestInit = {}): Promise<{ page?: Page; leftTo?: string }> {
    let res = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { page: { url: current, status: res.status, html: await res.text() } };
      current = new URL(location, current).href;
      if (!current.startsWith(origin)) return { leftTo: current };
      res = await this.request(current);
    }
    throw new Error('too many redirects');
  }

  /** Submits the page's form whose action contains `actionPart`, with the hidden fields it has. */
  async submit(page: Page, actionPart: string, fields: Record<string, string | string[]>, origin: string): Promise<{ page?: Page; leftTo?: string }> {
    const form = formIn(page.html, actionPart);
    const body = new URLSearchParams(form.hidden);
    for (const [name, value] of Object.entries(fields)) {
      body.delete(name);
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.navigate(new URL(form.action, page.url).href, origin, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}

/** The action and hidden inputs of the first form whose action contains `actionPart`. */
export function formIn(html: string, actionPart: string): { action: string; hidden: [string, string][] } {
  for (const match of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)) {
    const tag = match[0];
    const action = unescapeHtml(/action="([^"]*)"/i.exec(tag)?.[1] ?? '');
    if (!action.includes(actionPart)) continue;
    const hidden: [string, string][] = [];
    for (const input of tag.matchAll(/<input\b[^>]*>/gi)) {
      const attrs = input[0];
      if (!/type="hidden"/i.test(attrs)) continue;
      const name = /name="([^"]*)"/i.exec(attrs)?.[1];
      const value = /value="([^"]*)"/i.exec(attrs)?.[1] ?? '';
      if (name) hidden.push([unescapeHtml(name), unescapeHtml(value)]);
    }
    return { action, hidden };
  }
  throw new Error(`no form with action containing "${actionPart}"`);
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

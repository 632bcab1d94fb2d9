/**
 * A Next.js pages-router API route (`pages/api/auth/[...nextauth].ts`) served by Express, so
 * NextAuth v4's own handler runs without a Next.js build. Next.js hands an API route a request
 * with `query` (the catch-all segments under their name, here `nextauth`), `body` (parsed from a
 * form or JSON) and `cookies` (parsed), and a response with `status`, `setHeader`, `getHeader`,
 * `end`, `json` and `send` — which Express's response already has. Only the request is rebuilt.
 */
import type { Request, RequestHandler, Response } from 'express';
import express from 'express';

/** The part of Next.js's NextApiRequest that NextAuth v4's handler and `getToken` read. */
export interface NextApiRequestLike {
  method: string;
  headers: Request['headers'];
  query: Record<string, string | string[]>;
  body: unknown;
  cookies: Record<string, string>;
}

export type NextApiHandlerLike = (req: NextApiRequestLike, res: Response) => unknown;

/** The Cookie header as Next.js's `req.cookies`: name → decoded value, the first of a repeated name. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/** The request as Next.js would hand it to an API route; `segments` fill the catch-all param. */
export function nextApiRequest(req: Request, catchAll?: { name: string; segments: string[] }): NextApiRequestLike {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(req.originalUrl, 'http://route.invalid').searchParams) {
    const had = query[key];
    query[key] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  if (catchAll) query[catchAll.name] = catchAll.segments;
  return { method: req.method, headers: req.headers, query, body: req.body ?? {}, cookies: parseCookies(req.headers.cookie) };
}

/**
 * Express handlers for `<mount>/*nextauth` running `handler` as Next.js runs
 * `pages/api/auth/[...nextauth].ts`: with the body parsed from a form or JSON as Next.js's API
 * routes do by default.
 */
export function nextCatchAllRoute(handler: NextApiHandlerLike): RequestHandler[] {
  return [
    express.urlencoded({ extended: false }),
    express.json(),
    (req, res, next) => {
      const segments = (req.params as Record<string, string[] | undefined>).nextauth ?? [];
      Promise.resolve(handler(nextApiRequest(req, { name: 'nextauth', segments }), res)).catch(next);
    },
  ];
}

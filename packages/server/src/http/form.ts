import type { Context } from 'hono';
import { OAuthError } from '../errors.js';
import { readBody } from './body.js';
import { say } from '../pages/translator.js';

export const MAX_FORM_BYTES = 64 * 1024;

/** Parameters of one request: each name at most once (RFC 6749 §3.1, §3.2). */
export type Params = Map<string, string>;

function decode(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, ' '));
}

/**
 * Name-value pairs in order, repeats kept; malformed percent-encoding or UTF-8 is invalid_request.
 * So is a NUL character: no OAuth or OpenID parameter may hold one (RFC 6749 Appendix A), and
 * PostgreSQL refuses it in a text parameter, so it must not get as far as a statement.
 */
export function parsePairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (!text) return pairs;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    let pair: [string, string];
    try {
      pair = [decode(eq === -1 ? part : part.slice(0, eq)), eq === -1 ? '' : decode(part.slice(eq + 1))];
    } catch {
      throw new OAuthError('invalid_request', 'Request parameters are not valid percent-encoded UTF-8');
    }
    if (pair[0].includes('\u0000') || pair[1].includes('\u0000')) throw new OAuthError('invalid_request', 'Request parameters must not contain NUL characters');
    pairs.push(pair);
  }
  return pairs;
}

/**
 * Parses a query string or urlencoded body strictly: malformed percent-encoding, invalid UTF-8
 * and repeated parameters are invalid_request. Empty values count as absent.
 */
export function parseParams(text: string): Params {
  const params: Params = new Map();
  const seen = new Set<string>();
  for (const [name, value] of parsePairs(text)) {
    if (seen.has(name))
      throw new OAuthError('invalid_request', `Parameter "${name.slice(0, 40)}" is repeated`, {
        forPeople: say('error.repeatedParameter', { name: name.slice(0, 40) }),
      });
    seen.add(name);
    // RFC 6749 §3.1: a parameter without a value is treated as omitted.
    if (value !== '') params.set(name, value);
  }
  return params;
}

/** The raw query string of a request, without the leading "?". */
export function rawQuery(c: Context): string {
  const url = c.req.url;
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}

/** The text of an application/x-www-form-urlencoded body, with the RFC error for anything else. */
export async function readFormText(c: Context): Promise<string> {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded');
  }
  return readUtf8Text(c);
}

/** A request body as text, within the forms' size limit; bytes that are not UTF-8 are invalid_request. */
export async function readUtf8Text(c: Context): Promise<string> {
  const buffer = await readBody(c, MAX_FORM_BYTES);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new OAuthError('invalid_request', 'The request body is not valid UTF-8');
  }
}

/** A protocol request body: each parameter at most once. */
export async function readForm(c: Context): Promise<Params> {
  return parseParams(await readFormText(c));
}

/** A hosted page's form, where checkboxes repeat a name. */
export async function readPageForm(c: Context): Promise<URLSearchParams> {
  return new URLSearchParams(parsePairs(await readFormText(c)));
}

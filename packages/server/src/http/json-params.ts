import { OAuthError } from '../errors.js';
import type { Params } from './form.js';

// With the u flag a surrogate pair is one code point, so this matches only unpaired halves:
// text no UTF-8 byte sequence can encode, which a percent-encoded form could not carry either.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function malformed(): OAuthError {
  return new OAuthError('invalid_request', 'The request body is not a JSON object');
}

/** Past JSON whitespace (RFC 8259 §2) from `at`. */
function skipSpace(text: string, at: number): number {
  while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at++;
  return at;
}

/**
 * The string token starting at `at` (which must be a quote), decoded, and where it ends; undefined
 * when there is none. The end is found by a linear scan, and JSON.parse then checks the escapes
 * and refuses raw control characters.
 */
function readString(text: string, at: number): { value: string; end: number } | undefined {
  if (text[at] !== '"') return undefined;
  let end = at + 1;
  while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
  if (end >= text.length) throw malformed();
  try {
    return { value: JSON.parse(text.slice(at, end + 1)) as string, end: end + 1 };
  } catch {
    throw malformed();
  }
}

/**
 * Parses a JSON request body with the strictness of parseParams: one object whose values are all
 * strings, each name at most once, no NUL, empty values counted as absent. JSON.parse alone would
 * keep the last of a repeated name without a word, so the object is scanned here token by token.
 */
export function parseJsonParams(text: string): Params {
  const params: Params = new Map();
  const seen = new Set<string>();
  let at = skipSpace(text, 0);
  if (text[at] !== '{') throw malformed();
  at = skipSpace(text, at + 1);
  if (text[at] === '}') at++;
  else {
    for (;;) {
      const name = readString(text, at);
      if (!name) throw malformed();
      at = skipSpace(text, name.end);
      if (text[at] !== ':') throw malformed();
      at = skipSpace(text, at + 1);
      const value = readString(text, at);
      if (!value) throw new OAuthError('invalid_request', `Parameter "${name.value.slice(0, 40)}" must be a string`);
      at = skipSpace(text, value.end);
      if (name.value.includes('\u0000') || value.value.includes('\u0000')) {
        throw new OAuthError('invalid_request', 'Request parameters must not contain NUL characters');
      }
      if (LONE_SURROGATE.test(name.value) || LONE_SURROGATE.test(value.value)) {
        throw new OAuthError('invalid_request', 'Request parameters are not valid UTF-8');
      }
      if (seen.has(name.value)) throw new OAuthError('invalid_request', `Parameter "${name.value.slice(0, 40)}" is repeated`);
      seen.add(name.value);
      if (value.value !== '') params.set(name.value, value.value);
      if (text[at] === ',') {
        at = skipSpace(text, at + 1);
        continue;
      }
      if (text[at] !== '}') throw malformed();
      at++;
      break;
    }
  }
  if (skipSpace(text, at) !== text.length) throw malformed();
  return params;
}

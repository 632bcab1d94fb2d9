import type { Context } from 'hono';
import { OAuthError } from '../errors.js';
import { type Params, readForm, readUtf8Text } from './form.js';
import { parseJsonParams } from './json-params.js';

/** The charset parameter of a JSON content type must name UTF-8 (RFC 8259 §8.1), if it is there. */
function assertUtf8(parameters: string[]): void {
  for (const parameter of parameters) {
    const eq = parameter.indexOf('=');
    if (eq === -1 || parameter.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const charset = parameter
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') throw new OAuthError('invalid_request', 'A JSON request body must be UTF-8');
  }
}

/**
 * The parameters of a token, revocation or introspection request. The standard body is a form
 * (RFC 6749 §3.2); as an extension, for clients written against providers that take JSON there
 * (Auth0 does), a JSON object of strings carries the same parameters, read as strictly.
 */
export async function readProtocolParams(c: Context): Promise<Params> {
  const [type = '', ...parameters] = (c.req.header('content-type') ?? '').split(';');
  if (type.trim().toLowerCase() !== 'application/json') return readForm(c);
  assertUtf8(parameters);
  return parseJsonParams(await readUtf8Text(c));
}

import { passwordLengthProblem } from '../auth/password-policy.js';
import { GRANT_TYPES, type GrantType } from '../store/repos/clients.js';
import { CliUsageError } from './io.js';

// Only these three: RFC 8252 §7.3 names the IP literals, and "localhost" is what developers type.
// Wider 127/8 addresses are left out on purpose; they are rarely meant and easy to mistype.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface RedirectUriRules {
  /** Option name for messages, e.g. "--redirect-uri". */
  flag: string;
  /** Public (native) clients may use a private-use scheme (RFC 8252 §7.1); confidential ones may not. */
  isPublic: boolean;
}

/**
 * Checks one redirect (or post-logout redirect) URI. The string is returned unchanged, not
 * normalised by URL, because authorization requests are compared with it byte for byte.
 */
export function checkRedirectUri(raw: string, rules: RedirectUriRules): string {
  const { flag } = rules;
  if (raw !== raw.trim() || /[\s<>"`{}|\\^]/.test(raw)) {
    throw new CliUsageError(`${flag} "${raw}" contains spaces or characters not allowed in a URI`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(`${flag} "${raw}" is not an absolute URI (e.g. https://app.example.com/callback)`);
  }
  // RFC 6749 §3.1.2: the endpoint URI must not include a fragment. URL drops an empty "#", so look at the raw text.
  if (raw.includes('#')) throw new CliUsageError(`${flag} "${raw}" must not contain a fragment (#...)`);
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https' || scheme === 'http') {
    // URL would quietly read "https:host/path" as "https://host/path"; the stored text must be what clients send.
    if (!/^https?:\/\/[^/]/i.test(raw) || !url.hostname) throw new CliUsageError(`${flag} "${raw}" must look like ${scheme}://host/path`);
    if (url.username || url.password) throw new CliUsageError(`${flag} "${raw}" must not contain a user name or password`);
    if (scheme === 'http' && !LOOPBACK_HOSTS.has(url.hostname)) {
      throw new CliUsageError(
        `${flag} "${raw}" must use https; http is only allowed on a loopback host (localhost, 127.0.0.1, [::1])`,
      );
    }
    return raw;
  }
  // A dot keeps out javascript:, data:, file: and friends: RFC 8252 §7.1 asks for reverse-DNS names.
  if (scheme.includes('.')) {
    if (!rules.isPublic) {
      throw new CliUsageError(
        `${flag} "${raw}" uses a private-use scheme, which only public (native app) clients may use; add --public or use https`,
      );
    }
    return raw;
  }
  throw new CliUsageError(
    `${flag} "${raw}" must be https, http on localhost/127.0.0.1/[::1], or (public clients) a reverse-DNS scheme like com.example.app:/callback`,
  );
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), i.e. printable ASCII except space, " and \.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function parseScopes(raw: string): string[] {
  const scopes = raw.split(' ').filter((s) => s !== '');
  if (scopes.length === 0) throw new CliUsageError('--scope needs at least one scope, e.g. "openid profile email"');
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) {
      throw new CliUsageError(`--scope "${scope}" is not a valid scope (printable ASCII without ", \\ or whitespace; separate scopes with spaces)`);
    }
  }
  const dup = scopes.find((s, i) => scopes.indexOf(s) !== i);
  if (dup) throw new CliUsageError(`--scope lists "${dup}" twice`);
  return scopes;
}

export function parseGrantTypes(raw: string): GrantType[] {
  const items = raw.split(',').map((s) => s.trim());
  const grants: GrantType[] = [];
  for (const item of items) {
    if (!(GRANT_TYPES as readonly string[]).includes(item)) {
      throw new CliUsageError(`--grant-types: "${item}" is not one of ${GRANT_TYPES.join(', ')}`);
    }
    if (grants.includes(item as GrantType)) throw new CliUsageError(`--grant-types lists "${item}" twice`);
    grants.push(item as GrantType);
  }
  return grants;
}

/** A short single-line text such as a display name: trimmed, no control characters. */
export function checkText(flag: string, raw: string, max: number): string {
  const value = raw.trim();
  if (value === '') throw new CliUsageError(`${flag} must not be empty`);
  if ([...value].length > max) throw new CliUsageError(`${flag} must be at most ${max} characters`);
  if (/\p{Cc}/u.test(value)) throw new CliUsageError(`${flag} must not contain control characters (such as newlines)`);
  return value;
}

/** A sanity check only (the address is proven by the user, not by its shape). */
export function checkEmail(raw: string): string {
  const email = raw.trim();
  if (email.length > 320) throw new CliUsageError('--email must be at most 320 characters');
  const parts = email.split('@');
  if (parts.length !== 2 || !parts[0] || !parts[1] || /[\s\p{Cc}]/u.test(email)) {
    throw new CliUsageError(`--email "${raw}" is not an email address (one @, no spaces)`);
  }
  return email;
}

/** Takes what was piped in: one trailing newline (LF or CRLF) is the shell's, not the password's. */
export function passwordFromStdin(input: string): string {
  const password = input.endsWith('\r\n') ? input.slice(0, -2) : input.endsWith('\n') ? input.slice(0, -1) : input;
  if (password === '') throw new CliUsageError('--password-stdin: nothing was read from stdin; pipe the password in');
  const problem = passwordLengthProblem(password);
  if (problem) throw new CliUsageError(`the password ${problem}`);
  return password;
}

/** A resource indicator (RFC 8707 §2): an absolute URI without a fragment. */
export function checkResource(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(`--resource "${raw}" is not an absolute URI`);
  }
  if (url.hash || raw.includes('#')) throw new CliUsageError(`--resource "${raw}" must not contain a fragment`);
  if (raw.length > 2000) throw new CliUsageError('--resource is too long');
  return raw;
}

// @simplewebauthn/server is ~26 MB of memory and ~0.3 s of start-up: loaded on the first
// ceremony (a sign-in page offering passkeys, adding one), not when the server starts.
type WebAuthnLibrary = typeof import('@simplewebauthn/server');

let library: Promise<WebAuthnLibrary> | undefined;

/** The WebAuthn ceremony functions, loaded once. */
export function loadWebAuthn(): Promise<WebAuthnLibrary> {
  library ??= import('@simplewebauthn/server');
  return library;
}

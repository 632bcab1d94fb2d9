/**
 * The passkeys' browser script, served from /assets/passkeys.js (the CSP allows same-origin
 * script files and nothing inline, and no fetch: `default-src 'none'` covers connect-src). So
 * the server puts each ceremony's options, with its one-time challenge, in the form's
 * `data-options`; this script hands them to navigator.credentials, writes the credential as
 * JSON (base64url fields, as @simplewebauthn/server reads them) into the form's `response` field
 * and submits the form. Three kinds of form:
 *
 * - `data-passkey="login"`: the sign-in page. Offers the passkeys in the email field's
 *   autofill (conditional mediation) at once, and a "Sign in with a passkey" button (shown
 *   only where WebAuthn exists) asks with the browser's own dialog.
 * - `data-passkey="register"`: the account page's "Add a passkey" (navigator.credentials.create).
 * - `data-passkey="factor"`: the second-factor step's "Use your passkey".
 *
 * Without JavaScript or WebAuthn the login button stays hidden, and the other forms post
 * without a response, which the server answers with a readable message.
 */
export const PASSKEY_SCRIPT = `(() => {
  'use strict';
  const supported = typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
  const toBytes = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  };
  const toText = (buffer) => {
    const bytes = new Uint8Array(buffer);
    let binary = '';
    for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  };
  const descriptors = (list) => (list || []).map((c) => Object.assign({}, c, { id: toBytes(c.id) }));
  const requestOptions = (json) => Object.assign({}, json, { challenge: toBytes(json.challenge), allowCredentials: descriptors(json.allowCredentials) });
  const creationOptions = (json) =>
    Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      user: Object.assign({}, json.user, { id: toBytes(json.user.id) }),
      excludeCredentials: descriptors(json.excludeCredentials),
    });
  const credentialJson = (credential) => {
    const r = credential.response;
    const response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
    }
    if (r.signature) {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      if (r.userHandle) response.userHandle = toText(r.userHandle);
    }
    return JSON.stringify({
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
    });
  };
  const send = (form, credential) => {
    form.elements.namedItem('response').value = credentialJson(credential);
    form.submit();
  };
  const showProblem = (form) => {
    const note = form.querySelector('[data-passkey-problem]');
    if (note) note.hidden = false;
  };
  if (!supported) return;

  const login = document.querySelector('form[data-passkey="login"]');
  if (login) {
    const options = JSON.parse(login.dataset.options);
    let controller;
    let pending = Promise.resolve();
    // One request at a time: the button first ends the autofill's request, and waits for it.
    const ask = async (mediation) => {
      if (controller) controller.abort();
      await pending.catch(() => {});
      controller = new AbortController();
      const request = { publicKey: requestOptions(options), signal: controller.signal };
      if (mediation) request.mediation = mediation;
      pending = navigator.credentials.get(request);
      try {
        const credential = await pending;
        if (credential) send(login, credential);
      } catch (error) {
        if (!mediation && error && error.name !== 'AbortError') showProblem(login);
      }
    };
    for (const el of document.querySelectorAll('[data-passkey-offer]')) el.hidden = false;
    const button = document.getElementById('passkey-sign-in');
    if (button) button.addEventListener('click', () => ask(undefined));
    if (typeof PublicKeyCredential.isConditionalMediationAvailable === 'function') {
      PublicKeyCredential.isConditionalMediationAvailable().then((available) => {
        if (available) ask('conditional');
      });
    }
  }

  for (const form of document.querySelectorAll('form[data-passkey="register"], form[data-passkey="factor"]')) {
    const register = form.dataset.passkey === 'register';
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const options = JSON.parse(form.dataset.options);
      const asked = register
        ? navigator.credentials.create({ publicKey: creationOptions(options) })
        : navigator.credentials.get({ publicKey: requestOptions(options) });
      asked.then(
        (credential) => (credential ? send(form, credential) : showProblem(form)),
        () => showProblem(form),
      );
    });
  }
})();
`;

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatehouseApp } from '../../src/app.js';
import { auditedApp } from '../helpers/path-audit.js';

/** An app that answers every request with `make()`, to feed the audit one response. */
function answering(make: () => Response): GatehouseApp {
  return {
    fetch: () => make(),
    request: () => Promise.resolve(make()),
  };
}

const html = (body: string): Response => new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });

// The audit the test contexts put on their app (helpers/path-audit.ts): under a path, a response
// that sends a browser outside it fails the test that got it, whether or not the test follows it.
describe('the path audit of test contexts', () => {
  const ISSUER = 'http://localhost:3000/idp';

  const refused: [string, () => Response][] = [
    ['a relative Location outside the path', () => new Response(null, { status: 303, headers: { location: '/interaction/x' } })],
    [
      'an absolute Location on the origin outside the path',
      () => new Response(null, { status: 303, headers: { location: 'http://localhost:3000/account/apps' } }),
    ],
    [
      'a Location on the request’s own origin outside the path',
      () => new Response(null, { status: 303, headers: { location: 'http://localhost/oauth/authorize' } }),
    ],
    [
      'an iss outside the path in a redirect to the client',
      () => new Response(null, { status: 303, headers: { location: 'https://rp.example/cb?code=c&iss=http%3A%2F%2Flocalhost%3A3000' } }),
    ],
    ['a cookie for the whole host', () => new Response('ok', { headers: { 'set-cookie': 'gh_session_default=v; Path=/; HttpOnly' } })],
    ['a cookie on a sibling path', () => new Response('ok', { headers: { 'set-cookie': 'gh_password_form_default=v; Path=/password' } })],
    ['a cookie without a Path', () => new Response('ok', { headers: { 'set-cookie': 'gh_session_default=v; HttpOnly' } })],
    ['a root-relative link', () => html('<a href="/account/apps">Apps</a>')],
    ['a root-relative form action', () => html('<form method="post" action="/interaction/u/login"></form>')],
    ['a root-relative script', () => html('<script src="/assets/local-time.js"></script>')],
    ['a root-relative formaction', () => html('<button formaction="/oauth/logout/confirm">Out</button>')],
    ['a look-alike path', () => html('<a href="/idpx/account/apps">Apps</a>')],
    ['a root-relative url() in a stylesheet', () => new Response('body{background:url(/assets/x.png)}', { headers: { 'content-type': 'text/css' } })],
    ['an absolute URL outside the path in JSON', () => Response.json({ token_endpoint: 'http://localhost:3000/oauth/token' })],
    ['the bare origin as an issuer', () => Response.json({ issuer: 'http://localhost:3000' })],
    ['an absolute URL outside the path in a page, HTML-escaped', () => html('<p>http:&#x2F;&#x2F;localhost:3000&#x2F;password&#x2F;reset</p>')],
  ];
  for (const [name, make] of refused) {
    it(`fails ${name}`, async () => {
      await assert.rejects(auditedApp(answering(make), ISSUER).request('/idp/x'), /answered outside \/idp/);
    });
  }

  it('passes what stays under the path, and what is on another origin', async () => {
    const app = auditedApp(
      answering(() => {
        const res = html(
          '<a href="/idp/account/apps">Apps</a><form action="/idp/interaction/u/login"></form><a href="https://rp.example/privacy">Privacy</a>' +
            '<a href="//cdn.example/x">x</a><a href="?ui_locales=de">de</a><p>http://localhost:3000/idp/password/reset?token=t</p>',
        );
        res.headers.set('location', 'https://rp.example/cb?code=c&iss=http%3A%2F%2Flocalhost%3A3000%2Fidp');
        res.headers.append('set-cookie', 'gh_session_default=v; Path=/idp/; HttpOnly');
        res.headers.append('set-cookie', 'gh_interaction_default=v; Path=/idp/interaction/u');
        return res;
      }),
      ISSUER,
    );
    const res = await app.request('/idp/x');
    assert.match(await res.text(), /Apps/, 'the body is still there to read');
    assert.deepEqual(
      await (
        await auditedApp(
          answering(() => Response.json({ issuer: ISSUER, jwks_uri: `${ISSUER}/.well-known/jwks.json` })),
          ISSUER,
        ).request('/idp/x')
      ).json(),
      {
        issuer: ISSUER,
        jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      },
    );
  });

  it('leaves an issuer at the root of its host as it is', () => {
    const app = answering(() => html('<a href="/account/apps">Apps</a>'));
    assert.equal(auditedApp(app, 'http://localhost:3000'), app);
  });
});

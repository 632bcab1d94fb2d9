import type { Site } from './site.js';

/** The hosted pages' stylesheet, with the configured brand colours. */
export function stylesheet(site: Site): string {
  return `:root { --brand: ${site.settings.brand.color}; --bg: ${site.settings.brand.background}; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  background: var(--bg); color: #1b1f24; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.card { width: 100%; max-width: 26rem; margin: 1rem; padding: 2rem; background: #fff; border-radius: 12px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12), 0 8px 24px rgba(0,0,0,.06); }
.brand { margin: 0 0 1rem; font-weight: 700; color: var(--brand); letter-spacing: .02em; }
/* Spacing letters apart breaks the joins of Arabic script. */
[dir=rtl] .brand { letter-spacing: 0; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
input[type=email], input[type=password], input[type=text] { width: 100%; padding: .6rem .7rem; font: inherit;
  border: 1px solid #8c959f; border-radius: 6px; }
input:focus, button:focus, a:focus { outline: 3px solid var(--brand); outline-offset: 2px; }
button { font: inherit; padding: .6rem 1.1rem; border-radius: 6px; border: 1px solid var(--brand); cursor: pointer; }
button.primary { background: var(--brand); color: #fff; }
button.secondary { background: #fff; color: var(--brand); }
.actions { display: flex; gap: .75rem; margin-top: 1.5rem; flex-wrap: wrap; }
.error { color: #a40e26; background: #ffebe9; border: 1px solid #ff818266; padding: .6rem .8rem; border-radius: 6px; }
.scopes { list-style: none; padding: 0; margin: 1rem 0; }
.scopes li { padding: .5rem 0; border-bottom: 1px solid #eaeef2; }
.scopes label { display: inline; margin: 0; font-weight: 400; }
.muted { color: #57606a; font-size: .9rem; }
fieldset { border: 0; padding: 0; margin: 0; }
legend { font-weight: 600; }
a { color: var(--brand); }
button.link { background: none; border: 0; padding: .6rem 0; color: var(--brand); text-decoration: underline; }
a.button { display: inline-block; padding: .6rem 1.1rem; border-radius: 6px; border: 1px solid var(--brand); text-decoration: none; }
a.button.primary { background: var(--brand); color: #fff; }
.notice { background: #dafbe1; border: 1px solid #4ac26b66; padding: .6rem .8rem; border-radius: 6px; }
.apps { list-style: none; padding: 0; margin: 1rem 0; }
.apps > li { padding: 1rem 0; border-bottom: 1px solid #eaeef2; }
h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
.apps .scopes { margin: .25rem 0 .5rem; padding-inline-start: 1.2rem; list-style: disc; }
.apps .scopes li { padding: .1rem 0; border: 0; }
.apps .scope-form { display: inline; margin: 0; }
.apps .scope-remove { font-size: .875rem; padding: 0 .25rem; }
.accounts { list-style: none; padding: 0; margin: 1rem 0; }
.accounts li { margin: .5rem 0; }
.accounts button { width: 100%; text-align: start; }
.app-logo { display: block; width: 64px; height: 64px; object-fit: contain; margin-bottom: .5rem; }
.account-email { display: block; font-size: .9rem; font-weight: 400; }
/* The account pages (pages/account-frame.tsx and the pages using it). */
.account-nav ul { list-style: none; padding: 0; margin: 0 0 1.25rem; display: flex; flex-wrap: wrap; gap: .25rem .9rem; font-size: .95rem; }
.account-nav a[aria-current=page] { font-weight: 700; text-decoration: none; }
input[type=url], textarea { width: 100%; padding: .6rem .7rem; font: inherit; border: 1px solid #8c959f; border-radius: 6px; }
.sessions, .activity { list-style: none; padding: 0; margin: 1rem 0; }
.sessions > li { padding: 1rem 0; border-bottom: 1px solid #eaeef2; }
.sessions p { margin: .1rem 0; }
.activity > li { padding: .5rem 0; border-bottom: 1px solid #eaeef2; }
.this-device { font-size: .85rem; color: #1a7f37; }
.security-section { padding: 1rem 0; border-top: 1px solid #eaeef2; }
.choice { display: flex; gap: .5rem; align-items: baseline; margin: .4rem 0; }
.choice label { display: inline; margin: 0; font-weight: 400; }
button.danger { background: #a40e26; border-color: #a40e26; color: #fff; }
.pager { display: flex; gap: 1rem; }
/* Wallets (wallets/): addresses, signed messages and signatures are long unbroken text. */
textarea { width: 100%; padding: .6rem .7rem; font: .85rem/1.4 ui-monospace, monospace; border: 1px solid #8c959f; border-radius: 6px; }
textarea:focus, summary:focus { outline: 3px solid var(--brand); outline-offset: 2px; }
.wallet-address { overflow-wrap: anywhere; }
.wallets { list-style: none; padding: 0; margin: 1rem 0; }
.wallets > li { padding: .75rem 0; border-bottom: 1px solid #eaeef2; }
.wallets p { margin: 0 0 .25rem; }
details { margin-top: 1rem; }
summary { cursor: pointer; color: var(--brand); }
`;
}

import type { IssuerScope } from '../issuers/scope.js';

/**
 * The console's stylesheet: a wide layout with navigation (a column on large screens, a row on
 * small ones), in the issuer's brand colour. Colours meet WCAG AA on white.
 */
export function consoleStylesheet(scope: Pick<IssuerScope, 'settings'>): string {
  return `:root { --brand: ${scope.settings.brand.color}; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --danger: #a40e26; }
* { box-sizing: border-box; }
body.console { margin: 0; color: var(--ink); background: #f6f8fa; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.skip { position: absolute; inset-inline-start: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { inset-inline-start: .5rem; z-index: 2; }
.topbar { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .6rem 1.25rem; background: #fff;
  border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.product { font-weight: 700; color: var(--brand); text-decoration: none; }
.who { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; }
.who form { margin: 0; }
.role { display: inline-block; padding: 0 .4rem; border: 1px solid var(--line); border-radius: 999px; font-size: .8rem; color: var(--muted); }
.shell { display: flex; min-height: calc(100vh - 3.2rem); }
nav { width: 14rem; flex: none; padding: 1rem .5rem; background: #fff; border-inline-end: 1px solid var(--line); }
nav ul { list-style: none; margin: 0; padding: 0; }
nav a { display: block; padding: .4rem .75rem; border-radius: 6px; color: var(--ink); text-decoration: none; }
nav a:hover { background: #eaeef2; }
nav a[aria-current=page] { background: var(--brand); color: #fff; }
main { flex: 1; min-width: 0; padding: 1.5rem 2rem; max-width: 64rem; }
@media (max-width: 48rem) {
  .shell { display: block; }
  nav { width: auto; border-inline-end: 0; border-bottom: 1px solid var(--line); padding: .5rem; }
  nav ul { display: flex; flex-wrap: wrap; gap: .25rem; }
  main { padding: 1rem; }
}
.narrow { max-width: 28rem; margin: 2rem auto; background: #fff; padding: 2rem; border: 1px solid var(--line); border-radius: 12px; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.heading { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
.check { display: flex; gap: .5rem; align-items: center; margin: 1rem 0; }
.check label { margin: 0; font-weight: 400; }
input[type=text], input[type=email], input[type=password], input[type=url], input[type=search], textarea, select {
  width: 100%; max-width: 40rem; padding: .5rem .6rem; font: inherit; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
textarea { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9rem; }
.hint { margin: 0 0 .25rem; color: var(--muted); font-size: .9rem; }
input:focus, button:focus, a:focus, textarea:focus, select:focus, summary:focus, pre:focus { outline: 3px solid var(--brand); outline-offset: 2px; }
button, a.button { display: inline-block; font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--brand); cursor: pointer;
  text-decoration: none; background: #fff; color: var(--brand); }
button.primary, a.button.primary { background: var(--brand); color: #fff; }
button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
button.small { padding: .2rem .6rem; font-size: .85rem; }
.actions { display: flex; gap: .75rem; align-items: center; margin-top: 1.25rem; flex-wrap: wrap; }
.error { color: var(--danger); background: #ffebe9; border: 1px solid #ff818266; padding: .6rem .8rem; border-radius: 6px; }
.error ul { margin: .25rem 0 0; padding-inline-start: 1.2rem; }
.grant-scopes { list-style: none; margin: 0; padding: 0; }
.grant-scopes li { margin: .15rem 0; }
.error p { margin: 0; }
.notice { background: #dafbe1; border: 1px solid #4ac26b66; padding: .6rem .8rem; border-radius: 6px; }
.muted { color: var(--muted); }
a { color: var(--brand); }
table.list { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table.list th, table.list td { text-align: start; padding: .5rem .75rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
/* Ids, JSON and URLs break anywhere, so a table fits a phone's width instead of widening the page. */
table.list th, table.list td { overflow-wrap: anywhere; }
@media (max-width: 48rem) { table.list th, table.list td { padding: .4rem .4rem; } }
table.list thead th { font-size: .85rem; color: var(--muted); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .88rem; }
pre.code { background: #0d1117; color: #e6edf3; padding: .75rem 1rem; border-radius: 8px; overflow-x: auto; margin: .25rem 0; }
.copyable { margin: .75rem 0; }
.copyable .label { display: block; font-weight: 600; margin-bottom: .25rem; }
.copyable code.value { display: inline-block; padding: .3rem .5rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; word-break: break-all; }
.copyable .copy { margin-top: .25rem; }
.tiles { list-style: none; padding: 0; margin: 0 0 1.5rem; display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .75rem; }
.tiles li { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.tiles a { color: inherit; text-decoration: none; }
.figure { display: block; font-size: 1.6rem; font-weight: 700; }
.chart { margin: 0 0 1.5rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; }
.chart figcaption { font-weight: 600; margin-bottom: .5rem; }
.chart svg { width: 100%; height: auto; }
.chart .grid line { stroke: #eaeef2; }
.chart text { font-size: 11px; fill: var(--muted); }
.bar.primary, .swatch.primary { fill: var(--brand); background: var(--brand); }
.bar.danger, .swatch.danger { fill: var(--danger); background: var(--danger); }
.legend { list-style: none; display: flex; gap: 1rem; padding: 0; margin: .5rem 0; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-inline-end: .35rem; vertical-align: middle; }
.choices { list-style: none; padding: 0; display: grid; gap: .5rem; }
.choices li { display: flex; gap: .6rem; align-items: flex-start; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .75rem; }
.choices label { margin: 0; font-weight: 400; }
.choices label strong, .choices label span { display: block; }
fieldset { border: 0; padding: 0; margin: 0; }
legend { font-weight: 600; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; word-break: break-all; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-top: 1.5rem; }
.panel.danger { border-color: #ff8182; }
.panel h2 { margin-top: 0; }
details { margin: .5rem 0; }
summary { cursor: pointer; font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
.filters label { margin: 0 0 .25rem; }
.filters > div { min-width: 10rem; }
.preview { border: 1px solid var(--line); border-radius: 12px; padding: 1.5rem; max-width: 24rem; }
.preview .brand-name { font-weight: 700; }
.ok { color: #1a7f37; }
.bad { color: var(--danger); }
`;
}

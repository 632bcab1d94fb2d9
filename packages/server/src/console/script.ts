/**
 * The console's only script, a file of its own (the CSP allows no inline script): copy buttons
 * for values shown once, and the live preview on the branding page. Every page works without it.
 */
export const CONSOLE_SCRIPT = `'use strict';
document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
  var target = document.getElementById(button.getAttribute('data-copy'));
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  var label = button.textContent;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(target.textContent || '').then(function () {
      button.textContent = '\\u2713 ' + label;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});
var preview = document.getElementById('branding-preview');
if (preview) {
  var bind = function (input, apply) {
    var field = document.getElementById(input);
    if (field) field.addEventListener('input', function () { apply(field.value); });
  };
  bind('display_name', function (v) { preview.querySelectorAll('.brand-name').forEach(function (n) { n.textContent = v; }); });
  bind('brand_color', function (v) { if (/^#[0-9a-fA-F]{6}$/.test(v)) preview.style.setProperty('--brand', v); });
  bind('background_color', function (v) { if (/^#[0-9a-fA-F]{6}$/.test(v)) preview.style.setProperty('--bg', v); });
}
`;

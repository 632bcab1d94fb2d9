/**
 * The proof-of-work solver of the hosted forms (served from /assets/proof-of-work.js, so the
 * CSP still allows no inline script). A form with `data-pow` (a challenge, as JSON) gets its
 * hidden `altcha` field filled with the Altcha payload once a number is found; a submit before
 * then waits for it. Without JavaScript (or without crypto.subtle) the field stays empty and
 * the server's throttle decides alone.
 */
export const POW_SCRIPT = `(() => {
  const form = document.querySelector('form[data-pow]');
  const field = form && form.querySelector('input[name="altcha"]');
  if (!form || !field || !window.crypto || !crypto.subtle) return;
  let c;
  try { c = JSON.parse(form.getAttribute('data-pow')); } catch { return; }
  const encoder = new TextEncoder();
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  const found = (n) => { field.value = btoa(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature })); form.setAttribute('data-pow-solved', ''); };
  // Hashes in batches, so the page stays responsive and the digests run side by side.
  const solving = (async () => {
    for (let start = 0; start <= c.maxnumber; start += 500) {
      const batch = [];
      for (let n = start; n < start + 500 && n <= c.maxnumber; n++) batch.push(crypto.subtle.digest('SHA-256', encoder.encode(c.salt + n)).then((h) => [n, hex(h)]));
      for (const [n, h] of await Promise.all(batch)) if (h === c.challenge) return found(n);
    }
  })();
  let waiting = false;
  form.addEventListener('submit', (event) => {
    if (field.value || waiting) return;
    event.preventDefault();
    waiting = true;
    const submitter = event.submitter;
    solving.finally(() => (submitter ? form.requestSubmit(submitter) : form.requestSubmit()));
  });
})();
`;

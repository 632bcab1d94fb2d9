/**
 * The wallet forms' script (served from /assets/wallet.js; the CSP allows no inline script). It
 * speaks EIP-1193 to the wallet extension at window.ethereum: `eth_requestAccounts` and
 * `eth_chainId` to fill in the address to link, `personal_sign` for the EIP-4361 link message
 * and `eth_signTypedData_v4` for the second factor's challenge, then submits the form the
 * server drew. Without JavaScript, or without an extension, nothing here runs and the forms are
 * filled by hand (the pages say how). Buttons that need the extension stay hidden until then.
 */
export const WALLET_SCRIPT = `(() => {
  const eth = window.ethereum;
  if (!eth || typeof eth.request !== 'function') return;
  for (const el of document.querySelectorAll('[data-wallet-no-extension]')) el.hidden = true;
  const hex = (text) => '0x' + Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0')).join('');
  const failed = (form, error) => {
    const status = form.querySelector('[data-wallet-status]');
    if (status) {
      status.hidden = false;
      status.textContent = form.getAttribute('data-wallet-failed') || String(error && error.message ? error.message : error);
    }
  };
  const account = async () => {
    const accounts = await eth.request({ method: 'eth_requestAccounts' });
    if (!Array.isArray(accounts) || typeof accounts[0] !== 'string') throw new Error('no account');
    return accounts[0];
  };
  const chain = async () => Number.parseInt(String(await eth.request({ method: 'eth_chainId' })), 16);
  const wire = (selector, run) => {
    for (const button of document.querySelectorAll(selector)) {
      const form = button.form;
      if (!form) continue;
      button.hidden = false;
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          await run(form);
          form.submit();
        } catch (error) {
          button.disabled = false;
          failed(form, error);
        }
      });
    }
  };
  // Step 1 of linking: which address (and chain) the message is for.
  wire('[data-wallet-connect]', async (form) => {
    form.elements.namedItem('address').value = await account();
    const id = await chain();
    if (Number.isSafeInteger(id) && id > 0) form.elements.namedItem('chain_id').value = String(id);
  });
  // Step 2 of linking: the wallet signs the server's EIP-4361 message as it is.
  wire('[data-wallet-sign-message]', async (form) => {
    const message = form.getAttribute('data-wallet-message');
    const address = form.getAttribute('data-wallet-address');
    form.elements.namedItem('signature').value = await eth.request({ method: 'personal_sign', params: [hex(message), address] });
  });
  // The second factor: the server's EIP-712 SignIn, on the chain the wallet is on.
  wire('[data-wallet-sign-typed]', async (form) => {
    const typed = JSON.parse(form.getAttribute('data-wallet-typed-data'));
    const address = await account();
    const id = await chain();
    if (Number.isSafeInteger(id) && id > 0) {
      typed.domain.chainId = id;
      form.elements.namedItem('chain_id').value = String(id);
    }
    form.elements.namedItem('signature').value = await eth.request({ method: 'eth_signTypedData_v4', params: [address, JSON.stringify(typed)] });
  });
})();
`;

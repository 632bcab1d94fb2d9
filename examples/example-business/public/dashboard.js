// Asks the app's server for the orders; the server calls the API with the access token.
const button = document.getElementById('load-orders');
const list = document.getElementById('orders');

function show(lines) {
  list.replaceChildren(...lines.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}

button?.addEventListener('click', async () => {
  button.disabled = true;
  try {
    const response = await fetch('/api/me/orders', { headers: { accept: 'application/json' } });
    if (response.status === 401) {
      window.location.assign('/');
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { orders } = await response.json();
    show(orders.map((o) => `${o.placedAt} · ${o.quantity} × ${o.item} · $${(o.amountCents / 100).toFixed(2)} (${o.id})`));
  } catch (error) {
    show([`Could not load your orders (${error.message}).`]);
  } finally {
    button.disabled = false;
  }
});

import { createHash } from 'node:crypto';

export interface Order {
  id: string;
  item: string;
  quantity: number;
  /** Minor units (cents), to keep money out of floating point. */
  amountCents: number;
  currency: 'USD';
  placedAt: string;
}

const ITEMS = ['Card reader', 'Receipt paper (10 rolls)', 'Invoice pad', 'Point-of-sale stand', 'Cash drawer', 'Barcode scanner'];
const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2025, 0, 1);

/** Fake orders that are always the same for one user, so demos and tests can rely on them. */
export function ordersFor(sub: string): Order[] {
  const seed = createHash('sha256').update(sub).digest();
  return [0, 1, 2].map((i) => {
    const byte = (n: number): number => seed[i * 4 + n] ?? 0;
    return {
      id: `ord_${seed.subarray(i * 4, i * 4 + 4).toString('hex')}`,
      item: ITEMS[byte(0) % ITEMS.length] ?? 'Card reader',
      quantity: 1 + (byte(1) % 5),
      amountCents: 500 + byte(2) * 37,
      currency: 'USD',
      placedAt: new Date(EPOCH + (byte(3) + i * 30) * DAY_MS).toISOString().slice(0, 10),
    };
  });
}

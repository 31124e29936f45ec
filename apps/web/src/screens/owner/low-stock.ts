import type { RouterOutputs } from '@mechanic-shop/sdk';

export type InventoryItem = RouterOutputs['inventory']['list']['items'][number];

/** At or below its reorder point, which 0 turns off: the rule of the API's `inventory.low_stock` event. */
export function isLowStock(item: Pick<InventoryItem, 'quantity' | 'reorder_point'>): boolean {
  return item.reorder_point > 0 && item.quantity <= item.reorder_point;
}

/** The items of one page of a list held whole, as the API's pages are shaped. */
export function pageOf<Item>(items: readonly Item[], page: number, perPage: number) {
  return { items: items.slice((page - 1) * perPage, page * perPage), page, per_page: perPage, total: items.length };
}

import { z } from 'zod';
import { MAX_LENGTH } from '../shared/limits.ts';
import { Money, MoneyInput } from '../shared/money.ts';
import { Count, DatabaseText, Id, IdParam, paginated, PaginationInput, QuantityField } from '../shared/schemas.ts';

const ReorderPoint = Count.meta({
  description:
    '`inventory.low_stock` is emitted when the stock falls to or below it (once per crossing, not on every change below it); 0 turns it off.',
});

export const InventoryItem = z
  .object({
    id: Id,
    part_name: z.string(),
    description: z.string(),
    price: Money,
    quantity: Count.meta({ description: 'Units in stock.' }),
    reorder_point: ReorderPoint,
  })
  .meta({
    id: 'InventoryItem',
    example: { id: 1, part_name: 'Brake pad set', description: 'Front, ceramic', price: '49.90', quantity: 12, reorder_point: 4 },
  });

export type InventoryItem = z.output<typeof InventoryItem>;

export const InventoryPage = paginated(InventoryItem, 'InventoryPage');

const PartName = DatabaseText(1, MAX_LENGTH.partName);
const PartDescription = DatabaseText(0, MAX_LENGTH.description);

export const NewInventoryItem = z
  .strictObject({
    part_name: PartName,
    description: PartDescription.default(''),
    price: MoneyInput,
    quantity: QuantityField(0).default(0),
    reorder_point: QuantityField(0).default(0).meta({ description: ReorderPoint.description }),
  })
  .meta({
    id: 'NewInventoryItem',
    examples: [{ part_name: 'Brake pad set', description: 'Front, ceramic', price: '49.90', quantity: 12, reorder_point: 4 }],
  });
export type NewInventoryItem = z.output<typeof NewInventoryItem>;

export const InventoryChanges = z
  .strictObject({
    part_name: PartName,
    description: PartDescription,
    price: MoneyInput,
    quantity: QuantityField(0),
    reorder_point: QuantityField(0),
  })
  .partial()
  .extend({ id: IdParam })
  .meta({ examples: [{ price: '52.00', quantity: 20, reorder_point: 5 }] });
export type InventoryChanges = z.output<typeof InventoryChanges>;

export const InventoryQuery = PaginationInput.extend({
  q: DatabaseText(1, MAX_LENGTH.partName)
    .meta({ description: 'Only parts whose name contains this text (any case).', example: 'brake' })
    .optional(),
});
export type InventoryQuery = z.output<typeof InventoryQuery>;

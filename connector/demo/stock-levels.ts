import type { StoredRow } from '../store/types';
import { DEMO_WAREHOUSES } from './organizations';
import { demoProducts } from './products';
import { DemoRandom } from './random';
import { MOVEMENTS } from './vocabulary';

/** Every product in MAIN; most of them in the regional warehouses. */
export function demoStockLevels(): StoredRow[] {
  const random = new DemoRandom(20240303);
  const products = demoProducts();
  return DEMO_WAREHOUSES.flatMap((warehouse) =>
    products
      .filter(() => warehouse === 'MAIN' || random.chance(0.8))
      .map((product) => {
        const onHand = random.int(0, 900);
        const reserved = random.int(0, Math.floor(onHand / 3));
        return {
          Id: `${warehouse}-${product.Code}`,
          Product: `${product.Code} - ${product.Description}`,
          Warehouse: warehouse,
          'On Hand': onHand,
          Reserved: reserved,
          Available: onHand - reserved,
          'Reorder Level': random.int(2, 20) * 10,
          Bin: `${random.pick(['A', 'B', 'C', 'D'])}-${String(random.int(1, 30)).padStart(2, '0')}-${random.int(1, 5)}`,
          'Last Counted': random.date('2025-01-01', '2025-06-30'),
          Movements: Array.from({ length: random.int(1, 4) }, () => {
            const type = random.pick(MOVEMENTS);
            const quantity = random.int(1, 120);
            return { Date: random.date('2025-01-01', '2025-06-30'), Type: type, Quantity: type.startsWith('OUT') ? -quantity : quantity };
          }),
        };
      }),
  );
}

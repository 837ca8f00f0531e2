import type { StoredRow } from '../store/types';
import { DemoRandom, pad } from './random';
import { CATEGORIES, PRICE_LISTS } from './vocabulary';

export const DEMO_PRODUCT_COUNT = 120;

/** Each price list's discount off list price A. */
const DISCOUNT: Record<(typeof PRICE_LISTS)[number], number> = { A: 1, B: 0.95, C: 0.9 };

export function demoProducts(): StoredRow[] {
  const random = new DemoRandom(20240202);
  return Array.from({ length: DEMO_PRODUCT_COUNT }, (_, index) => {
    const category = random.pick(CATEGORIES);
    const listPrice = random.money(0.8, 60);
    return {
      Code: `P${pad(index + 1, 4)}`,
      Description: `${random.pick(category.items)} ${random.pick(category.sizes)}`,
      Category: category.code,
      Unit: random.pick(['each', 'case', 'pack']),
      Weight: Math.round(random.next() * 12_000) / 1000,
      Launched: random.date('2012-01-01', '2024-12-31'),
      Discontinued: random.chance(0.05),
      Prices: PRICE_LISTS.map((list) => ({ 'Price List': list, Price: Math.round(listPrice * DISCOUNT[list] * 100) / 100 })),
    };
  });
}

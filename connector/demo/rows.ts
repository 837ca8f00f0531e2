import type { StoredRow } from '../store/types';
import { demoCampaigns } from './campaigns';
import { demoCustomers } from './customers';
import { demoProducts } from './products';
import { demoStockLevels } from './stock-levels';

const GENERATORS: Record<string, () => StoredRow[]> = {
  customers: demoCustomers,
  products: demoProducts,
  'stock-levels': demoStockLevels,
  campaigns: demoCampaigns,
};

/** The demo rows of a built-in table (the same on every run); none for any other table. */
export function demoRows(tableId: string): StoredRow[] {
  return Object.hasOwn(GENERATORS, tableId) ? GENERATORS[tableId]() : [];
}

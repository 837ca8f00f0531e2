import type { StoredRow } from '../store/types';
import { DemoRandom, pad } from './random';
import { ALERTS, NAME_FIRST, NAME_SECOND, PAYMENT_TERMS, PLACES, PRICE_LISTS, SALES_REPS, STREETS } from './vocabulary';

export const DEMO_CUSTOMER_COUNT = 320;

// Repeated ids weigh the spread: most customers belong to the providers' clients.
const OWNERS = [
  'org-northwind', 'org-contoso', 'org-contoso', 'org-fabrikam', 'org-fabrikam', 'org-tailspin',
  'org-adventure', 'org-litware', 'org-litware', 'org-proseware', 'org-wingtip',
];

/** Pinned so demo users' `priceCustomer` and the README can name them: a Northwind client on list B, an Adventure Works client on list C. */
const PINNED: Record<string, StoredRow> = {
  C0001: { organization: 'org-contoso', 'Price List': 'B' },
  C0002: { organization: 'org-litware', 'Price List': 'C' },
};

export function demoCustomers(): StoredRow[] {
  return generateCustomers(DEMO_CUSTOMER_COUNT, { seed: 20240101, owners: OWNERS, codeDigits: 4 });
}

/** Customers like the demo's, in any number (benchmarks use 100,000), sorted by Code. */
export function generateCustomers(count: number, options: { seed: number; owners: readonly string[]; codeDigits: number }): StoredRow[] {
  const random = new DemoRandom(options.seed);
  return Array.from({ length: count }, (_, index): StoredRow => {
    const code = `C${pad(index + 1, options.codeDigits)}`;
    const name = `${random.pick(NAME_FIRST)} ${random.pick(NAME_SECOND)}`;
    const [city, country, postcode] = random.pick(PLACES);
    const creditLimit = random.int(2, 100) * 500;
    return {
      Code: code,
      Name: name,
      'Sales Rep': random.pick(SALES_REPS),
      City: city,
      Country: country,
      Phone: `+${random.int(30, 49)} ${random.int(100, 999)} ${pad(random.int(0, 999999), 6)}`,
      Email: `orders@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      'Payment Terms': random.pick(PAYMENT_TERMS),
      'Price List': random.pick(PRICE_LISTS),
      'Credit Limit': creditLimit,
      Balance: random.money(0, creditLimit * 1.1),
      Created: random.date('2015-01-01', '2024-12-31'),
      Active: random.chance(0.9),
      'Delivery Addresses': Array.from({ length: random.int(1, 3) }, (_, position) => {
        const [addressCity, addressCountry, addressPostcode] = position === 0 ? [city, country, postcode] : random.pick(PLACES);
        return {
          'Address Id': `${code}-${position + 1}`,
          Street: `${random.int(1, 240)} ${random.pick(STREETS)}`,
          City: addressCity,
          Postcode: `${addressPostcode} ${random.int(1, 9)}`,
          Country: addressCountry,
          Default: position === 0,
        };
      }),
      Alerts: Array.from({ length: random.chance(0.35) ? random.int(1, 2) : 0 }, () => {
        const [type, message] = random.pick(ALERTS);
        return { Raised: random.date('2024-01-01', '2025-06-30'), Type: type, Message: message, Open: random.chance(0.6) };
      }),
      organization: random.pick(options.owners),
      ...PINNED[code],
    };
  });
}

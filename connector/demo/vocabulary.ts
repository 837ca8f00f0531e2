// Words the demo generators combine. Coded values are in display form, "<code> - <label>".

export const SALES_REPS = [
  '01 - John Smith',
  '02 - Maria Garcia',
  '03 - Wei Chen',
  '04 - Aisha Khan',
  '05 - Lars Nilsson',
  '06 - Sofia Rossi',
  '07 - Kwame Mensah',
  '08 - Emma Brown',
] as const;

export const PRICE_LISTS = ['A', 'B', 'C'] as const;

export const PLACES = [
  ['London', 'United Kingdom', 'EC1A'],
  ['Manchester', 'United Kingdom', 'M1'],
  ['Dublin', 'Ireland', 'D02'],
  ['Amsterdam', 'Netherlands', '1012'],
  ['Rotterdam', 'Netherlands', '3011'],
  ['Hamburg', 'Germany', '20095'],
  ['Munich', 'Germany', '80331'],
  ['Lyon', 'France', '69001'],
  ['Paris', 'France', '75001'],
  ['Milan', 'Italy', '20121'],
  ['Madrid', 'Spain', '28001'],
  ['Lisbon', 'Portugal', '1100'],
  ['Copenhagen', 'Denmark', '1050'],
  ['Stockholm', 'Sweden', '111 20'],
  ['Vienna', 'Austria', '1010'],
] as const;

export const STREETS = ['High Street', 'Market Square', 'Station Road', 'Harbour Lane', 'Mill Road', 'Church Street', 'Park Avenue', 'Kingsway', 'Canal Side', 'Orchard Way'];

export const NAME_FIRST = ['Blue Harbor', 'Alpine', 'Golden Field', 'Riverside', 'Oak & Ash', 'Northern Star', 'Greenway', 'Silver Birch', 'Old Mill', 'Sunrise', 'Copper Kettle', 'Meadow', 'Seaview', 'Highland', 'Maple', 'Granite', 'Willow', 'Harvest Moon', 'Red Door', 'Lighthouse'];
export const NAME_SECOND = ['Bakery', 'Grocers', 'Deli', 'Café', 'Market', 'Foods', 'Kitchen', 'Wholesale', 'Provisions', 'Hotel', 'Bistro', 'Farm Shop', 'Catering', 'Supermarket', 'Trading Co.'];

export const PAYMENT_TERMS = ['14 - Net 14 days', '30 - Net 30 days', '60 - Net 60 days', 'COD - Cash on delivery'];

export const ALERTS: ReadonlyArray<readonly [string, string]> = [
  ['CR - Credit hold', 'Credit limit exceeded; orders need approval.'],
  ['PD - Payment overdue', 'Invoice more than 30 days overdue.'],
  ['DL - Delivery instructions', 'Deliver to the rear entrance before 10:00.'],
  ['QA - Quality complaint', 'Reported damaged packaging on the last delivery.'],
];

export const CATEGORIES: ReadonlyArray<{ code: string; items: readonly string[]; sizes: readonly string[] }> = [
  { code: 'BEV - Beverages', items: ['Arabica coffee beans', 'Breakfast tea', 'Sparkling water', 'Orange juice', 'Cola', 'Green tea'], sizes: ['250 g', '500 g', '1 kg', '6 x 1 l', '12 x 330 ml'] },
  { code: 'BAK - Bakery', items: ['Sourdough loaf', 'Butter croissants', 'Rye bread', 'Bagels', 'Brioche buns'], sizes: ['single', '6 pack', '12 pack'] },
  { code: 'DAI - Dairy', items: ['Whole milk', 'Greek yoghurt', 'Cheddar cheese', 'Salted butter', 'Double cream'], sizes: ['250 g', '500 g', '1 l', '2 l'] },
  { code: 'PAN - Pantry', items: ['Basmati rice', 'Penne pasta', 'Olive oil', 'Chopped tomatoes', 'Plain flour', 'Honey'], sizes: ['500 g', '1 kg', '5 kg', '750 ml'] },
  { code: 'FRO - Frozen', items: ['Garden peas', 'Vanilla ice cream', 'Fish fillets', 'Mixed berries'], sizes: ['500 g', '1 kg', '2.5 kg'] },
  { code: 'CLE - Cleaning', items: ['Dish soap', 'Surface spray', 'Paper towels', 'Bin liners'], sizes: ['500 ml', '5 l', '6 rolls', '50 pack'] },
];

export const MOVEMENTS = ['IN - Receipt', 'OUT - Shipment', 'ADJ - Adjustment', 'TRF - Transfer'];

export const CHANNELS = ['EM - E-mail', 'SO - Social media', 'PR - Print', 'EV - Event', 'WEB - Website'];
export const CAMPAIGN_THEMES = ['Spring launch', 'Summer barbecue', 'Back to school', 'Harvest festival', 'Holiday hampers', 'New year detox', 'Coffee week', 'Local heroes', 'Zero waste', 'Loyalty rewards'];
export const CAMPAIGN_ACTIVITIES = ['Brief agreed', 'Creative approved', 'Mailing sent', 'Stand booked', 'Results reviewed', 'Budget signed off'];

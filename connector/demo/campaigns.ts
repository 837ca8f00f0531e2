import type { StoredRow } from '../store/types';
import { DEMO_TEAMS } from './organizations';
import { DemoRandom } from './random';
import { CAMPAIGN_ACTIVITIES, CAMPAIGN_THEMES, CHANNELS, SALES_REPS } from './vocabulary';

export const DEMO_CAMPAIGN_COUNT = 60;

const STATUSES = ['Planned', 'Active', 'Completed', 'Cancelled'];

export function demoCampaigns(): StoredRow[] {
  const random = new DemoRandom(20240404);
  return Array.from({ length: DEMO_CAMPAIGN_COUNT }, (_, index) => {
    const start = random.date('2024-01-01', '2025-12-31');
    const days = random.int(7, 90);
    const end = new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const status = random.pick(STATUSES);
    const budget = random.int(5, 200) * 100;
    return {
      Id: index + 1,
      Name: `${random.pick(CAMPAIGN_THEMES)} ${start.slice(0, 4)}`,
      Status: status,
      Channel: random.pick(CHANNELS),
      Owner: random.pick(SALES_REPS),
      Start: start,
      End: end,
      Budget: budget,
      Spent: status === 'Planned' ? 0 : random.money(0, budget),
      Activities: Array.from({ length: random.int(1, 4) }, (_, step) => ({
        Date: start,
        Activity: CAMPAIGN_ACTIVITIES[step % CAMPAIGN_ACTIVITIES.length],
        Done: status === 'Completed' || (status === 'Active' && step === 0),
      })),
      team: random.pick(DEMO_TEAMS).id,
    };
  });
}

import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../tables/filters-fields.test'));

import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../tables/page-json.test'));

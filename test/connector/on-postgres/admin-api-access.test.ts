import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../admin-api-access.test'));

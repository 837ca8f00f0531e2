import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../admin-organizations.test'));

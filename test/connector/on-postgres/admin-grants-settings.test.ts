import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../admin-grants-settings.test'));

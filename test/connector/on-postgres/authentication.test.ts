import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../authentication.test'));

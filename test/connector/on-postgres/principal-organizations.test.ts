import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../store/principal-organizations.test'));

import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../security/users-page.test'));

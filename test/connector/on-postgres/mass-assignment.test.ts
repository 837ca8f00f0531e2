import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../mass-assignment.test'));

import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../security/authorization-matrix.test'));

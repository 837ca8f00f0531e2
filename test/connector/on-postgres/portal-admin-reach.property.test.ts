import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../security/portal-admin-reach.property.test'));

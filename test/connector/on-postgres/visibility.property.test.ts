import { onPostgres } from '../../helpers/store-choice';

await onPostgres(() => import('../security/visibility.property.test'));

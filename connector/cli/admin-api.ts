import type { AdminClient } from '../../console/src/client';

/**
 * What the admin commands ask of the admin routes, typed by the console's client of them: against
 * a running connector it is that client; on a store, `localAdmin` answers the same with the same
 * services the routes call. So both modes print the same output from the same answers.
 */
export type AdminApi = Pick<
  AdminClient,
  'listUsers' | 'getUser' | 'createUser' | 'updateUser' | 'deleteUser' | 'setApiAccess' | 'setGrants' | 'setSettings' | 'tableDefinitions' | 'importRows'
>;

import { useTestConfigDir } from './helpers/test-config-dir';

/** The files that run alone (vitest.config.ts) need neither the build nor PostgreSQL: only their own config directory. */
export default function setup(): () => void {
  return useTestConfigDir();
}

import { PLATFORM_ADMIN_ROLE } from '../permissions/permissions';
import type { CommandMetadata } from './decider';

/** Actor role of workers and workflows (see the event-store Actor). */
export const SYSTEM_ACTOR_ROLE = 'system' as const;

/** Platform staff or the system itself: bypasses organization permissions. */
export function isPlatformStaff(metadata: CommandMetadata): boolean {
  const role = metadata.actor.role;
  return role === PLATFORM_ADMIN_ROLE || role === SYSTEM_ACTOR_ROLE;
}

import type { MigrationObject } from '@mikro-orm/core';
import { Migration20251122050000_read_models } from './Migration20251122050000_read_models';

/** Every read-model migration, in order. Listed (not globbed) so they run from dist and under jest alike. */
export const READ_MODEL_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20251122050000_read_models', class: Migration20251122050000_read_models },
];

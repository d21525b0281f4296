import { authorizedKeysFor, sshKeysDecider, streams } from '@stratus/domain';
import type { CommandExecutor } from '@stratus/eventstore';
import { ApiError } from '../../../shared/errors/api-error';

/**
 * The authorized_keys lines of the organization's keys `keyIds`, read from its keys stream (no projection lag): a
 * key of another organization, deleted or unknown is 422 ssh_key_not_found before anything is recorded. Used by
 * the creation and the rebuild of a server.
 */
export async function organizationAuthorizedKeys(
  executor: CommandExecutor,
  organizationId: string,
  keyIds: readonly string[],
): Promise<string[]> {
  if (keyIds.length === 0) return [];
  const { state } = await executor.load(streams.sshKeys(organizationId), sshKeysDecider);
  const { publicKeys, missing } = authorizedKeysFor(state, keyIds);
  if (missing.length > 0) {
    throw new ApiError(
      422,
      'ssh_key_not_found',
      `The organization has no SSH key ${missing.join(', ')}; add it under SSH keys first`,
      { field: 'sshKeyIds', sshKeyIds: missing },
    );
  }
  return publicKeys;
}

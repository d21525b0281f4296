import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sshKeysDecider, streams } from '@stratus/domain';
import { CommandExecutor, type Position } from '@stratus/eventstore';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { ApiError } from '../../../../shared/errors/api-error';
import { DeleteSshKeyCommand } from './delete-ssh-key.command';

/**
 * Removes the key from the organization's list; servers created with it keep it in their authorized_keys (remove
 * it there yourself, or rebuild).
 */
@CommandHandler(DeleteSshKeyCommand)
export class DeleteSshKeyHandler implements ICommandHandler<DeleteSshKeyCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: DeleteSshKeyCommand): Promise<{ keyId: string; position: Position | null }> {
    if (!isUuid(command.keyId)) {
      throw new ApiError(404, 'ssh_key_not_found', 'SSH key not found', { keyId: command.keyId });
    }
    const keyId = command.keyId.toLowerCase();
    const result = await this.executor.execute({
      streamId: streams.sshKeys(command.organizationId),
      decider: sshKeysDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'DeleteSshKey' as const,
        data: { organizationId: command.organizationId, keyId },
        metadata,
      }),
    });
    return { keyId, position: result.position };
  }
}

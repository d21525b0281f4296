import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { apiKeyDecider, streams } from '@stratus/domain';
import { CommandExecutor, type Position } from '@stratus/eventstore';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { ApiError } from '../../../../shared/errors/api-error';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<
  RevokeApiKeyCommand,
  { position: Position | null }
> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ keyId, context }: RevokeApiKeyCommand): Promise<{ position: Position | null }> {
    if (!isUuid(keyId)) throw new ApiError(404, 'api_key_not_found', 'API key not found');
    const result = await this.executor.execute({
      streamId: streams.apiKey(keyId.toLowerCase()),
      decider: apiKeyDecider,
      context,
      command: (_state, metadata) => ({ type: 'RevokeApiKey' as const, data: {}, metadata }),
    });
    return { position: result.position };
  }
}

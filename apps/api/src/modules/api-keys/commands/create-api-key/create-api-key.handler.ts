import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { apiKeyDecider, streams } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { generateApiKey } from '../../../../shared/auth/api-key-format';
import { OrganizationAccess } from '../../../../shared/auth/organization-access.service';
import { CreateApiKeyCommand, type CreatedApiKey } from './create-api-key.command';

@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand, CreatedApiKey> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly access: OrganizationAccess,
  ) {}

  async execute({ userId, request, context }: CreateApiKeyCommand): Promise<CreatedApiKey> {
    // Not a member: 404, as on the organization's own routes. A member: the key gets no more than they hold now.
    const membership = await this.access.requireMembership(request.organizationId, userId);
    const generated = generateApiKey();
    const result = await this.executor.execute({
      streamId: streams.apiKey(generated.keyId),
      decider: apiKeyDecider,
      context,
      expectNoStream: true,
      command: (_state, metadata) => ({
        type: 'CreateApiKey' as const,
        data: {
          keyId: generated.keyId,
          organizationId: membership.organizationId,
          name: request.name,
          prefix: generated.prefix,
          secretHash: generated.secretHash,
          permissions: request.permissions,
          expiresAt: request.expiresAt,
          allowedIps: request.allowedIps,
          ownerPermissions: membership.permissions,
        },
        metadata,
      }),
    });
    if (result.state.status !== 'active') throw new Error('The API key was not recorded');
    return {
      key: generated.key,
      state: result.state,
      organizationName: membership.state.name,
      position: result.position,
    };
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { SecretBox } from '@stratus/infra';
import { VPS_SETTINGS, type VpsSettings } from '../../../../shared/config/vps-settings';
import { ApiError } from '../../../../shared/errors/api-error';
import { ProviderCatalog } from '../../../catalog/shared/provider-catalog.service';
import { organizationAuthorizedKeys } from '../../shared/organization-ssh-keys';
import { generateRootPassword } from '../../shared/root-password.policy';
import { VpsOperationStarter, type StartedOperation } from '../../shared/vps-operation-starter';
import { vpsIdFrom } from '../../shared/vps-stream';
import { RebuildVpsCommand } from './rebuild-vps.command';

/**
 * Rebuild: the image must be offered (as on creation), the keys the organization's own (their lines are sent to
 * the provider as authorized_keys); the root password, the customer's or a generated one when only keys are
 * given (Linode requires one), is encrypted (AAD = server id) before it enters the event. rebuildServerWorkflow
 * rebuilds the instance and resets the console's pinned host key.
 */
@CommandHandler(RebuildVpsCommand)
export class RebuildVpsHandler implements ICommandHandler<RebuildVpsCommand, StartedOperation> {
  private readonly secretBox: SecretBox;

  constructor(
    private readonly operations: VpsOperationStarter,
    private readonly executor: CommandExecutor,
    private readonly providerCatalog: ProviderCatalog,
    @Inject(VPS_SETTINGS) settings: VpsSettings,
  ) {
    this.secretBox = new SecretBox(settings.secretsEncryptionKey);
  }

  async execute(command: RebuildVpsCommand): Promise<StartedOperation> {
    const { organizationId, body } = command;
    const vpsId = vpsIdFrom(command.vpsId);
    const images = await this.providerCatalog.images();
    if (!images.some((image) => image.id === body.image && !image.deprecated)) {
      throw new ApiError(422, 'image_not_available', `The image ${body.image} is not available`, {
        field: 'image',
        image: body.image,
      });
    }
    const authorizedKeys = await organizationAuthorizedKeys(this.executor, organizationId, body.sshKeyIds);
    const rootPassword = body.rootPassword ?? generateRootPassword();
    return this.operations.start(
      organizationId,
      vpsId,
      {
        type: 'RequestRebuild',
        data: {
          image: body.image,
          sshKeyIds: body.sshKeyIds,
          authorizedKeys,
          encryptedRootPassword: this.secretBox.encrypt(rootPassword, vpsId),
          rootLogin: body.rootPassword === null ? 'keys' : 'password',
        },
      },
      command.context,
    );
  }
}

import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { StartedOperation } from '../../shared/vps-operation-starter';

export class RebuildVpsCommand extends Command<StartedOperation> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    /** rootPassword: checked by the policy already; null: generate one (the customer logs in with keys). */
    readonly body: { image: string; rootPassword: string | null; sshKeyIds: string[] },
    readonly context: CommandContext,
  ) {
    super();
  }
}

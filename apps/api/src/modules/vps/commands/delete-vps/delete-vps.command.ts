import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface DeleteVpsResult {
  vpsId: string;
  position: Position | null;
}

export class DeleteVpsCommand extends Command<DeleteVpsResult> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

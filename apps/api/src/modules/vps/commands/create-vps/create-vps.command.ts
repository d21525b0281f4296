import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { CreateVpsBody } from '../../shared/idempotency';

export interface CreateVpsResult {
  vpsId: string;
  workflowId: string;
  hourlyPrice: string;
  monthlyPrice: string;
  position: Position | null;
  /** The Idempotency-Key was seen before with this body: the original answer, nothing new recorded. */
  replayed: boolean;
}

export class CreateVpsCommand extends Command<CreateVpsResult> {
  constructor(
    readonly organizationId: string,
    readonly idempotencyKey: string,
    readonly body: CreateVpsBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}

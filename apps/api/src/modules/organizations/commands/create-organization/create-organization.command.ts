import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface CreateOrganizationResult {
  organizationId: string;
  name: string;
  position: Position | null;
}

/** A new organization with `ownerUserId` as its owner, and its (empty) wallet. */
export class CreateOrganizationCommand extends Command<CreateOrganizationResult> {
  constructor(
    readonly name: string,
    readonly ownerUserId: string,
    readonly context: CommandContext,
    readonly organizationId?: string,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { RoleId } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface InvitationCreatedResult {
  invitationId: string;
  organizationId: string;
  email: string;
  role: RoleId;
  roleName: string;
  expiresAt: string;
  position: Position | null;
}

export class InviteMemberCommand extends Command<InvitationCreatedResult> {
  constructor(
    readonly organizationId: string,
    readonly email: string,
    readonly role: RoleId,
    readonly context: CommandContext,
  ) {
    super();
  }
}

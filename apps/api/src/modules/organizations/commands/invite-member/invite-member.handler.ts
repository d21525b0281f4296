import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InvitationCreated } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { randomUUID } from 'node:crypto';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { InvitationTokens } from '../../shared/invitation-tokens';
import { runOrganizationCommand } from '../../shared/organization-command';
import { InviteMemberCommand, type InvitationCreatedResult } from './invite-member.command';

@CommandHandler(InviteMemberCommand)
export class InviteMemberHandler implements ICommandHandler<InviteMemberCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly tokens: InvitationTokens,
  ) {}

  async execute(command: InviteMemberCommand): Promise<InvitationCreatedResult> {
    const invitationId = randomUUID();
    // Only to refuse inviting a member: whether the address has an account changes nothing else in the answer.
    const existingUserId = await this.users.userIdForEmail(command.email);
    const { events, position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'InviteMember',
      {
        invitationId,
        email: command.email,
        role: command.role,
        existingUserId,
        ...this.tokens.issue(command.organizationId, invitationId),
      },
    );
    const created = events.find((e): e is InvitationCreated => e.type === 'InvitationCreated')!;
    const { email, role, roleName, expiresAt } = created.data;
    return {
      invitationId,
      organizationId: command.organizationId,
      email,
      role,
      roleName,
      expiresAt,
      position,
    };
  }
}

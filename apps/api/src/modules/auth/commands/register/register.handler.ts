import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, emailClaimDecider, streams, userDecider } from '@stratus/domain';
import { v4 as uuidv4 } from 'uuid';
import { CommandExecutor } from '@stratus/eventstore';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { CreateOrganizationCommand } from '../../../organizations/commands/create-organization/create-organization.command';
import { PasswordHasher } from '../../password-hasher.service';
import { RegisterCommand, type RegisterResult } from './register.command';

const ORGANIZATION_SUFFIX = "'s organization";
const MAX_ORGANIZATION_NAME = 100;

export function defaultOrganizationName(userName: string): string {
  return `${userName.trim().slice(0, MAX_ORGANIZATION_NAME - ORGANIZATION_SUFFIX.length)}${ORGANIZATION_SUFFIX}`;
}

function emailTaken(): DomainError {
  return new DomainError('conflict', 'email_taken', 'This email address is already registered', {
    field: 'email',
  });
}

@CommandHandler(RegisterCommand)
export class RegisterHandler implements ICommandHandler<RegisterCommand, RegisterResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly hasher: PasswordHasher,
    private readonly commandBus: CommandBus,
  ) {}

  async execute(command: RegisterCommand): Promise<RegisterResult> {
    const email = command.email.trim().toLowerCase();
    const platformRole = command.options.platformRole ?? 'customer';
    // A claim whose user stream is empty is a registration that died half-way (the process stopped
    // between the two appends): resume it under the claimed id instead of locking the email forever.
    let userId = await this.users.userIdForEmail(email);
    if (userId) {
      const existing = await this.users.load(userId);
      if (existing.status === 'registered') throw emailTaken();
    } else {
      userId = uuidv4();
    }
    const passwordHash = await this.hasher.hash(command.password);
    const context = command.context;
    if (context.actor.role !== 'system') context.actingAs(userId, 'customer');

    const claimedUserId = userId;
    await this.executor.execute({
      streamId: streams.emailClaim(email),
      decider: emailClaimDecider,
      context,
      command: (_state, metadata) => ({
        type: 'ClaimEmail' as const,
        data: { email, userId: claimedUserId },
        metadata,
      }),
    });
    let registered;
    try {
      registered = await this.executor.execute({
        streamId: streams.user(userId),
        decider: userDecider,
        context,
        command: (_state, metadata) => ({
          type: 'RegisterUser' as const,
          data: { userId: claimedUserId, email, name: command.name, passwordHash, platformRole },
          metadata,
        }),
      });
    } catch (error) {
      // Two requests resuming the same half-finished registration: one wins, the other sees a taken email.
      if (error instanceof DomainError && error.reason === 'user_already_registered') throw emailTaken();
      throw error;
    }
    const user = registered.state.status === 'registered' ? registered.state : null;
    if (!user) throw new Error('RegisterUser decided nothing for a new user');
    if (command.options.createOrganization === false) {
      return {
        user: { userId: user.userId, email: user.email, name: user.name, platformRole: user.platformRole },
        organization: null,
        position: registered.position,
      };
    }

    const organization = await this.commandBus.execute(
      new CreateOrganizationCommand(defaultOrganizationName(user.name), user.userId, context),
    );
    const selected = await this.executor.execute({
      streamId: streams.user(user.userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({
        type: 'SelectActiveOrganization' as const,
        data: { organizationId: organization.organizationId, isMember: true },
        metadata,
      }),
    });
    return {
      user: { userId: user.userId, email: user.email, name: user.name, platformRole: user.platformRole },
      organization: { organizationId: organization.organizationId, name: organization.name },
      position: selected.events.length > 0 ? selected.position : organization.position,
    };
  }
}

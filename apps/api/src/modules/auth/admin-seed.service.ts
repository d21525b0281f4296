import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, streams, userDecider } from '@stratus/domain';
import { randomBytes } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../../shared/config/api-config';
import { CommandExecutor } from '@stratus/eventstore';
import { CommandContext } from '../../shared/request-context/command-context';
import { UserDirectory } from '../../shared/users/user-directory.service';
import { RegisterCommand } from './commands/register/register.command';

/**
 * Ensures the platform admin named by ADMIN_EMAIL exists and holds the admin role. Idempotent. An existing
 * customer account with that address is NOT promoted (anyone could have registered it before the operator
 * set ADMIN_EMAIL) unless ADMIN_PROMOTE_EXISTING=true, and either way the log says so loudly.
 */
@Injectable()
export class AdminSeed {
  private readonly logger = new Logger('AdminSeed');

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly users: UserDirectory,
    private readonly executor: CommandExecutor,
    private readonly commandBus: CommandBus,
  ) {}

  async run(): Promise<void> {
    const email = this.config.admin.email?.trim();
    if (!email) return;
    const context = CommandContext.system(`seed-admin-${Date.now()}`);
    let user = await this.users.findByEmail(email);
    if (!user) {
      let password = this.config.admin.password;
      if (!password) {
        password = randomBytes(18).toString('base64url');
        process.stdout.write(
          `stratus api: created platform admin ${email} with generated password ${password}\n`,
        );
      }
      try {
        await this.commandBus.execute(
          new RegisterCommand(email, password, 'Platform admin', context, {
            // Registered as admin in the same event: no window in which the account is a customer.
            platformRole: 'admin',
            createOrganization: false,
          }),
        );
      } catch (error) {
        // Another API instance seeding at the same moment won the email claim: use its user.
        if (!(error instanceof DomainError && error.reason === 'email_taken')) throw error;
      }
      user = await this.users.findByEmail(email);
      if (!user) throw new Error(`admin seed: ${email} not found right after registering it`);
      this.logger.log(`registered platform admin ${email}`);
    }
    if (user.platformRole === 'admin') return;
    if (!this.config.admin.promoteExisting) {
      this.logger.warn(
        `ADMIN_EMAIL ${email} belongs to an existing customer account: NOT promoting it to platform admin. ` +
          'Set ADMIN_PROMOTE_EXISTING=true to promote it, or choose another ADMIN_EMAIL.',
      );
      return;
    }
    this.logger.warn(
      `ADMIN_PROMOTE_EXISTING=true: promoting the existing customer account ${email} (${user.userId}) to platform admin`,
    );
    const granted = await this.executor.execute({
      streamId: streams.user(user.userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({
        type: 'GrantPlatformRole' as const,
        data: { platformRole: 'admin' as const },
        metadata,
      }),
    });
    if (granted.events.length > 0) this.logger.warn(`granted platform admin role to ${email}`);
  }
}

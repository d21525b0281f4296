import { assertNever, type UserEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { UserEntity, type UserRow } from './user.entity';

export const usersProjection: Projection<UserRow> = {
  name: 'users',
  entity: UserEntity,
  handles: [
    'UserRegistered',
    'PlatformRoleGranted',
    'ActiveOrganizationSelected',
    'EmailVerified',
    'TwoFactorEnabled',
    'TwoFactorDisabled',
    'MailPreferencesChanged',
  ] satisfies UserEvent['type'][],
  keyOf: (event) => asRecorded<UserEvent>(event).data.userId,
  evolve(row, recorded) {
    const event = asRecorded<UserEvent>(recorded);
    switch (event.type) {
      case 'UserRegistered':
        return {
          id: event.data.userId,
          email: event.data.email,
          name: event.data.name,
          platformRole: event.data.platformRole,
          activeOrganizationId: row?.activeOrganizationId ?? null,
          emailVerified: row?.emailVerified ?? false,
          twoFactorEnabled: row?.twoFactorEnabled ?? false,
          mailOptOuts: row?.mailOptOuts ?? [],
          createdAt: occurredAt(event),
        };
      case 'PlatformRoleGranted':
        return row && { ...row, platformRole: event.data.platformRole };
      case 'ActiveOrganizationSelected':
        return row && { ...row, activeOrganizationId: event.data.organizationId };
      case 'EmailVerified':
        return row && { ...row, emailVerified: true };
      case 'TwoFactorEnabled':
        return row && { ...row, twoFactorEnabled: true };
      case 'TwoFactorDisabled':
        return row && { ...row, twoFactorEnabled: false };
      case 'MailPreferencesChanged':
        return row && { ...row, mailOptOuts: event.data.optedOut };
      // Links, passwords, recovery codes and sessions are not this read model's business.
      case 'EmailVerificationRequested':
      case 'PasswordResetRequested':
      case 'PasswordChanged':
      case 'RecoveryCodeUsed':
      case 'TwoFactorSetupStarted':
      case 'TwoFactorCodeUsed':
      case 'TwoFactorChallengeStarted':
      case 'TwoFactorChallengeCompleted':
      case 'TwoFactorAttemptFailed':
      case 'SignedIn':
      case 'SessionRevoked':
      case 'ImpersonationStarted':
      case 'ImpersonationEnded':
        return row;
      default:
        return assertNever(event);
    }
  },
};

import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { NOW } from '../shared/testing/metadata';
import { openInvitations, organizationDecider, isMember } from './organization.decider';
import type { InvitationCreated, OrganizationEvent } from './organization.events';
import { INVITATION_TTL_MS, MAX_PENDING_INVITATIONS } from './organization.invitations';
import {
  added,
  as,
  at,
  command,
  everyRole,
  IN_SEVEN_DAYS,
  ORG,
  OWNER,
  roleCreated,
  sha,
} from './testing/organization-history';

const spec = DeciderSpecification.for(organizationDecider);
const INVITATION = 'inv-1';
const TOKEN_HASH = sha('raw-token-1');
const GUEST = 'user-guest';
const LEAD_ROLE = '11111111-1111-4111-8111-111111111111';

const invite = (
  email: string,
  role: string,
  options: { existingUserId?: string | null; invitationId?: string; tokenHash?: string } = {},
  metadata = as(OWNER),
) =>
  command(
    'InviteMember',
    {
      invitationId: options.invitationId ?? INVITATION,
      email,
      role,
      existingUserId: options.existingUserId ?? null,
      tokenHash: options.tokenHash ?? TOKEN_HASH,
      sealedToken: 'sealed-token-1',
    },
    metadata,
  );
const invited = (overrides: Partial<InvitationCreated['data']> = {}): InvitationCreated => ({
  type: 'InvitationCreated',
  data: {
    organizationId: ORG,
    invitationId: INVITATION,
    email: 'guest@example.com',
    role: 'member',
    roleName: 'member',
    invitedBy: OWNER,
    tokenHash: TOKEN_HASH,
    sealedToken: 'sealed-token-1',
    expiresAt: IN_SEVEN_DAYS,
    ...overrides,
  },
});
type Answer = { email?: string; emailVerified?: boolean; userId?: string; tokenHash?: string };
const answer = (type: 'AcceptInvitation' | 'DeclineInvitation', a: Answer = {}, metadata = as(GUEST)) =>
  command(
    type,
    {
      tokenHash: a.tokenHash ?? TOKEN_HASH,
      userId: a.userId ?? GUEST,
      email: a.email ?? 'guest@example.com',
      emailVerified: a.emailVerified ?? true,
    },
    metadata,
  );
const accept = (a: Answer = {}, metadata = as(GUEST)) => answer('AcceptInvitation', a, metadata);
const decline = (a: Answer = {}, metadata = as(GUEST)) => answer('DeclineInvitation', a, metadata);
const revoke = (invitationId = INVITATION, metadata = as(OWNER)) =>
  command('RevokeInvitation', { invitationId }, metadata);
const accepted: OrganizationEvent[] = [
  {
    type: 'InvitationAccepted',
    data: { organizationId: ORG, invitationId: INVITATION, email: 'guest@example.com', userId: GUEST },
  },
  added(GUEST, 'member'),
];
const revoked: OrganizationEvent = {
  type: 'InvitationRevoked',
  data: { organizationId: ORG, invitationId: INVITATION, email: 'guest@example.com' },
};
const declined: OrganizationEvent = {
  type: 'InvitationDeclined',
  data: { organizationId: ORG, invitationId: INVITATION, email: 'guest@example.com', userId: GUEST },
};
const SEVEN_DAYS = INVITATION_TTL_MS;

describe('organization decider: invitations', () => {
  describe('when the organization does not exist', () => {
    it('rejects an invitation as organization_not_found', () => {
      spec
        .given([])
        .when(invite('guest@example.com', 'member'))
        .thenThrows('not_found', 'organization_not_found');
    });

    it('knows no token', () => {
      spec.given([]).when(accept()).thenThrows('not_found', 'invitation_not_found');
    });
  });

  describe('when nobody is invited', () => {
    it('invites an address for seven days, normalized, with the role as the mail names it', () => {
      spec.given(everyRole).when(invite('  Guest@Example.COM ', 'member')).then([invited()]);
    });

    it('invites with a custom role', () => {
      spec
        .given([...everyRole, roleCreated(LEAD_ROLE, 'Team lead', ['vps_view'])])
        .when(invite('guest@example.com', LEAD_ROLE))
        .then([invited({ role: LEAD_ROLE, roleName: 'Team lead' })]);
    });

    it('invites someone who has an account exactly as someone who has none', () => {
      spec
        .given(everyRole)
        .when(invite('guest@example.com', 'member', { existingUserId: GUEST }))
        .then([invited()]);
    });

    it('refuses to invite a member', () => {
      spec
        .given(everyRole)
        .when(invite('viewer@example.com', 'admin', { existingUserId: 'user-viewer' }))
        .thenThrows('conflict', 'already_member', { field: 'email' });
    });

    it.each(['not-an-email', '', 'a@b'])('rejects the address %j', (email) => {
      spec.given(everyRole).when(invite(email, 'member')).thenThrows('validation', 'invalid_email');
    });

    it('rejects an unknown role', () => {
      spec.given(everyRole).when(invite('guest@example.com', 'god')).thenThrows('validation', 'invalid_role');
    });

    it.each(['user-admin', 'user-member', 'user-viewer'])('forbids %s (missing members_manage)', (userId) => {
      spec
        .given(everyRole)
        .when(invite('guest@example.com', 'viewer', {}, as(userId)))
        .thenThrows('forbidden', 'missing_permission', { permission: 'members_manage' });
    });

    it('refuses a role with permissions the inviter lacks', () => {
      const lead = [
        ...everyRole,
        roleCreated(LEAD_ROLE, 'Team lead', ['vps_view', 'members_manage']),
        added('user-lead', LEAD_ROLE),
      ];
      spec
        .given(lead)
        .when(invite('guest@example.com', 'admin', {}, as('user-lead')))
        .thenThrows('forbidden', 'permission_not_held', { field: 'role' });
      spec
        .given(lead)
        .when(invite('guest@example.com', LEAD_ROLE, {}, as('user-lead')))
        .then([invited({ role: LEAD_ROLE, roleName: 'Team lead', invitedBy: 'user-lead' })]);
    });

    it('an API key counts only its scopes as held: it cannot invite beyond them', () => {
      const key = {
        ...as(OWNER),
        scopes: ['members_manage', 'vps_view', 'notes_view', 'tickets_view', 'hosting_view'],
      };
      spec
        .given(everyRole)
        .when(invite('guest@example.com', 'owner', {}, key))
        .thenThrows('forbidden', 'permission_not_held', { field: 'role' });
      spec
        .given(everyRole)
        .when(invite('guest@example.com', 'viewer', {}, key))
        .then([invited({ role: 'viewer', roleName: 'viewer' })]);
      spec
        .given(everyRole)
        .when(invite('guest@example.com', 'viewer', {}, { ...as(OWNER), scopes: ['vps_view'] }))
        .thenThrows('forbidden', 'missing_permission', { permission: 'members_manage' });
    });

    it('hides the organization from non-members', () => {
      spec
        .given(everyRole)
        .when(invite('guest@example.com', 'viewer', {}, as('stranger')))
        .thenThrows('not_found', 'organization_not_found');
    });

    it('knows no token', () => {
      spec.given(everyRole).when(accept()).thenThrows('not_found', 'invitation_not_found');
      spec.given(everyRole).when(revoke()).thenThrows('not_found', 'invitation_not_found');
    });

    it(`stops at ${MAX_PENDING_INVITATIONS} pending invitations`, () => {
      const many = Array.from({ length: MAX_PENDING_INVITATIONS }, (_, i) =>
        invited({ invitationId: `inv-x${i}`, email: `x${i}@example.com`, tokenHash: sha(`x${i}`) }),
      );
      spec
        .given([...everyRole, ...many])
        .when(invite('guest@example.com', 'member'))
        .thenThrows('conflict', 'too_many_invitations');
    });
  });

  describe('when an invitation is pending', () => {
    const pending = [...everyRole, invited()];

    it('is listed as open until it expires', () => {
      const state = stateAfter(organizationDecider, pending);
      expect(openInvitations(state, NOW).map((i) => i.email)).toEqual(['guest@example.com']);
      expect(openInvitations(state, IN_SEVEN_DAYS)).toEqual([]);
    });

    it('refuses a second invitation to the same address', () => {
      spec
        .given(pending)
        .when(invite('GUEST@example.com', 'viewer', { invitationId: 'inv-2', tokenHash: sha('raw-token-2') }))
        .thenThrows('conflict', 'already_invited', { field: 'email' });
    });

    it('invites the address again once the first invitation expired', () => {
      spec
        .given(pending)
        .when(
          command(
            'InviteMember',
            {
              invitationId: 'inv-2',
              email: 'guest@example.com',
              role: 'viewer',
              existingUserId: null,
              tokenHash: sha('raw-token-2'),
              sealedToken: 'sealed-token-2',
            },
            at(OWNER, SEVEN_DAYS),
          ),
        )
        .then([
          invited({
            invitationId: 'inv-2',
            role: 'viewer',
            roleName: 'viewer',
            tokenHash: sha('raw-token-2'),
            sealedToken: 'sealed-token-2',
            expiresAt: new Date(Date.parse(NOW) + 2 * SEVEN_DAYS).toISOString(),
          }),
        ]);
    });

    it('the invitee accepts: a member with the invited role, in the same append', () => {
      const state = spec.given(pending).when(accept()).then(accepted);
      expect(isMember(state, GUEST)).toBe(true);
      expect(openInvitations(state, NOW)).toEqual([]);
    });

    it('compares the address without case', () => {
      spec
        .given(pending)
        .when(accept({ email: 'Guest@Example.com' }))
        .then(accepted);
    });

    it('refuses someone signed in with another address, telling them nothing more', () => {
      const error = spec
        .given(pending)
        .when(accept({ email: 'mallory@example.com', userId: 'user-mallory' }))
        .thenThrows('forbidden', 'invitation_for_another_email');
      expect(error.message).not.toContain('guest@example.com');
      expect(error.details).toBeUndefined();
      spec
        .given(pending)
        .when(decline({ email: 'mallory@example.com', userId: 'user-mallory' }))
        .thenThrows('forbidden', 'invitation_for_another_email');
    });

    it('refuses the address while it is not verified', () => {
      spec
        .given(pending)
        .when(accept({ emailVerified: false }))
        .thenThrows('forbidden', 'email_not_verified');
    });

    it('refuses someone who is already a member', () => {
      spec
        .given([...pending, added(GUEST, 'viewer')])
        .when(accept())
        .thenThrows('conflict', 'already_member');
    });

    it('is gone once expired', () => {
      spec
        .given(pending)
        .when(answer('AcceptInvitation', {}, at(GUEST, SEVEN_DAYS)))
        .thenThrows('gone', 'invitation_expired');
      spec
        .given(pending)
        .when(answer('AcceptInvitation', {}, at(GUEST, SEVEN_DAYS - 1)))
        .then(accepted);
      spec
        .given(pending)
        .when(command('RevokeInvitation', { invitationId: INVITATION }, at(OWNER, SEVEN_DAYS)))
        .thenThrows('gone', 'invitation_expired');
    });

    it('the invitee declines', () => {
      spec.given(pending).when(decline()).then([declined]);
    });

    it('the owner revokes it', () => {
      spec.given(pending).when(revoke()).then([revoked]);
    });

    it('forbids revoking without members_manage', () => {
      spec
        .given(pending)
        .when(revoke(INVITATION, as('user-admin')))
        .thenThrows('forbidden', 'missing_permission');
    });

    it('rejects a malformed token hash', () => {
      spec
        .given(pending)
        .when(accept({ tokenHash: 'abc' }))
        .thenThrows('validation', 'invalid_token_hash');
    });

    it('a custom role it gives resolves when it is accepted', () => {
      spec
        .given([
          ...everyRole,
          roleCreated(LEAD_ROLE, 'Team lead', ['vps_view']),
          invited({ role: LEAD_ROLE, roleName: 'Team lead' }),
        ])
        .when(accept())
        .then([accepted[0], added(GUEST, LEAD_ROLE)]);
    });
  });

  describe('when the invitation is closed', () => {
    it.each([
      ['accepted', accepted, 'invitation_accepted'],
      ['declined', [declined], 'invitation_declined'],
      ['revoked', [revoked], 'invitation_revoked'],
    ] as const)('%s: its token is gone', (_state, events, reason) => {
      const history = [...everyRole, invited(), ...events];
      spec.given(history).when(accept()).thenThrows('gone', reason);
      spec.given(history).when(decline()).thenThrows('gone', reason);
      spec.given(history).when(revoke()).thenThrows('gone', reason);
    });

    it('tells someone else only that it is not theirs', () => {
      spec
        .given([...everyRole, invited(), revoked])
        .when(accept({ email: 'mallory@example.com' }))
        .thenThrows('forbidden', 'invitation_for_another_email');
    });

    it('the address can be invited again', () => {
      spec
        .given([...everyRole, invited(), revoked])
        .when(invite('guest@example.com', 'member', { invitationId: 'inv-2', tokenHash: sha('raw-token-2') }))
        .then([invited({ invitationId: 'inv-2', tokenHash: sha('raw-token-2') })]);
    });
  });
});

import { assertNever, type OrganizationEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { InvitationEntity, type InvitationRow } from './invitation.entity';

type Handled = Extract<
  OrganizationEvent,
  { type: 'InvitationCreated' | 'InvitationRevoked' | 'InvitationAccepted' | 'InvitationDeclined' }
>;

const CLOSED = {
  InvitationRevoked: 'revoked',
  InvitationAccepted: 'accepted',
  InvitationDeclined: 'declined',
} as const satisfies Record<Exclude<Handled['type'], 'InvitationCreated'>, InvitationRow['status']>;

/** Every invitation with its state; members list the pending, unexpired ones. */
export const invitationsProjection: Projection<InvitationRow> = {
  name: 'invitations',
  entity: InvitationEntity,
  handles: [
    'InvitationCreated',
    'InvitationRevoked',
    'InvitationAccepted',
    'InvitationDeclined',
  ] satisfies Handled['type'][],
  keyOf: (recorded) => asRecorded<Handled>(recorded).data.invitationId,
  evolve(row, recorded) {
    const event = asRecorded<Handled>(recorded);
    switch (event.type) {
      case 'InvitationCreated':
        return {
          id: event.data.invitationId,
          organizationId: event.data.organizationId,
          email: event.data.email,
          role: event.data.role,
          invitedBy: event.data.invitedBy,
          status: 'pending',
          createdAt: occurredAt(event),
          expiresAt: new Date(event.data.expiresAt),
          closedAt: null,
        };
      case 'InvitationRevoked':
      case 'InvitationAccepted':
      case 'InvitationDeclined':
        return row && { ...row, status: CLOSED[event.type], closedAt: occurredAt(event) };
      default:
        return assertNever(event);
    }
  },
};

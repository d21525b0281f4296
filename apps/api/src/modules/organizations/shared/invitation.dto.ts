import { ApiProperty } from '@nestjs/swagger';
import { PositionedResponseDto } from '../../../shared/http/command-response.dto';
import { RoleIdProperty, RoleNameProperty } from '../../../shared/http/role-properties';

/** An invitation as its addressee sees it before answering. */
export class InvitationForYouDto {
  @ApiProperty({ format: 'uuid' }) invitationId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty({ example: 'colleague@example.com' }) email!: string;
  @RoleIdProperty() role!: string;
  @RoleNameProperty() roleName!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who invited you (null while not yet known)' })
  invitedByName!: string | null;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class InvitationAnsweredResponseDto extends PositionedResponseDto {
  @ApiProperty({ format: 'uuid' }) invitationId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty({ enum: ['accepted', 'declined'] }) answer!: 'accepted' | 'declined';
}

/** What every route following an invitation link may answer besides 200. */
export const INVITATION_LINK_ERRORS = {
  403:
    'invitation_for_another_email: sign in with the account the invitation was sent to; ' +
    'email_not_verified: confirm your address first',
  404: 'invitation_not_found: the link is invalid',
  410: 'invitation_accepted, invitation_declined, invitation_revoked, invitation_expired',
} as const;

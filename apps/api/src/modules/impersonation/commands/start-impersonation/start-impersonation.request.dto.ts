import { ApiProperty } from '@nestjs/swagger';
import { MAX_IMPERSONATION_REASON_LENGTH } from '@stratus/domain';
import { IsString, Length } from 'class-validator';
import { UserDto } from '../../../auth/user.dto';

export class StartImpersonationRequestDto {
  @ApiProperty({
    description: 'Why staff need to act as the user; the user is told by mail',
    example: 'Ticket 4821: the customer cannot create a server',
    maxLength: MAX_IMPERSONATION_REASON_LENGTH,
  })
  @IsString({ message: 'reason must be a string' })
  @Length(1, MAX_IMPERSONATION_REASON_LENGTH, {
    message: `reason must be 1 to ${MAX_IMPERSONATION_REASON_LENGTH} characters`,
  })
  reason!: string;
}

export class ImpersonationSessionResponseDto {
  @ApiProperty({
    description:
      'Session token (HS256 JWT) of the user, naming the staff member (claim imp); it ends at expiresAt or at POST /api/me/impersonation/stop',
  })
  token!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: UserDto, description: 'The user impersonated' }) user!: UserDto;
  @ApiProperty({ type: String, nullable: true, example: '7841/1203' }) position!: string | null;
}

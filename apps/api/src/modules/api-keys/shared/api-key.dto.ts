import { ApiProperty } from '@nestjs/swagger';
import { PERMISSIONS, type Permission } from '@stratus/domain';

export const API_KEY_STATUSES = ['active', 'expired', 'revoked'] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

/** An API key as its owner sees it: never the secret, never its hash. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The public part of the key: stx_<prefix>_…', example: '3f9a0c1d2e4b' })
  prefix!: string;
  @ApiProperty({ example: 'CI deploys' }) name!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null while the organization is not listed yet' })
  organizationName!: string | null;
  @ApiProperty({ enum: PERMISSIONS, isArray: true, description: "The key's scopes" })
  permissions!: Permission[];
  @ApiProperty({ type: [String], description: 'Addresses or CIDR ranges the key works from; [] = anywhere' })
  allowedIps!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Recorded at most once a minute per API instance',
  })
  lastUsedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ enum: API_KEY_STATUSES }) status!: ApiKeyStatus;
}

import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  FIREWALL_POLICIES,
  FIREWALL_PROTOCOLS,
  MAX_FIREWALL_ADDRESSES,
  MAX_FIREWALL_RULES,
  type FirewallPolicy,
  type FirewallProtocol,
} from '@stratus/domain';

// ---- backups ----

export const BACKUP_STATUSES = [
  'paused',
  'pending',
  'running',
  'needsPostProcessing',
  'successful',
  'failed',
  'userAborted',
] as const;

/** One backup of the server, as the provider reports it. */
export class VpsBackupDto {
  @ApiProperty({ example: '50000001', description: "The provider's id (POST /backups/{backupId}/restore)" })
  id!: string;
  @ApiProperty({ enum: ['auto', 'snapshot'] }) type!: 'auto' | 'snapshot';
  @ApiProperty({ type: String, nullable: true, description: 'A snapshot’s label' }) label!: string | null;
  @ApiProperty({ enum: BACKUP_STATUSES }) status!: (typeof BACKUP_STATUSES)[number];
  @ApiProperty({ format: 'date-time' }) created!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished!: string | null;
  @ApiProperty({ description: 'Whether it can be restored now' }) available!: boolean;
}

export class VpsSnapshotSlotDto {
  @ApiProperty({ type: VpsBackupDto, nullable: true, description: 'The last snapshot that succeeded' })
  current!: VpsBackupDto | null;
  @ApiProperty({ type: VpsBackupDto, nullable: true, description: 'A snapshot being taken' })
  inProgress!: VpsBackupDto | null;
}

export class VpsBackupsDto {
  @ApiProperty({ description: 'false: the server has no backups (the lists are empty)' })
  backupsEnabled!: boolean;
  @ApiProperty({ type: [VpsBackupDto], description: "The provider's automatic backups" })
  automatic!: VpsBackupDto[];
  @ApiProperty({ type: VpsSnapshotSlotDto }) snapshot!: VpsSnapshotSlotDto;
}

// ---- firewall ----

export class FirewallRuleDto {
  @ApiProperty({ enum: FIREWALL_PROTOCOLS })
  @IsIn(FIREWALL_PROTOCOLS, {
    message: `protocol must be one of ${FIREWALL_PROTOCOLS.join(', ')}`,
  })
  protocol!: FirewallProtocol;

  @ApiProperty({
    type: String,
    nullable: true,
    required: false,
    example: '22,80,8000-8100',
    description: 'TCP and UDP: ports and ranges (absent or null: every port); ICMP has none',
  })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsString({ message: 'ports must be a string such as "22,80,8000-8100"' })
  @MaxLength(200, { message: 'ports must be at most 200 characters' })
  ports?: string | null;

  @ApiProperty({
    type: [String],
    example: ['203.0.113.0/24', '::/0'],
    description: 'Networks in CIDR notation',
  })
  @IsArray({ message: 'addresses must be a list of networks' })
  @ArrayMaxSize(MAX_FIREWALL_ADDRESSES, {
    message: `addresses must have at most ${MAX_FIREWALL_ADDRESSES} networks`,
  })
  @IsString({ each: true, message: 'each address must be a string such as "203.0.113.0/24"' })
  @MaxLength(50, { each: true, message: 'each address must be at most 50 characters' })
  addresses!: string[];
}

/** The rules' checks beyond shapes (ports, networks, limits) are the decider's (requireFirewallRules). */
export class SetFirewallRequestDto {
  @ApiProperty({ enum: FIREWALL_POLICIES, description: 'What happens to inbound traffic no rule matches' })
  @IsIn(FIREWALL_POLICIES, { message: `defaultInbound must be one of ${FIREWALL_POLICIES.join(', ')}` })
  defaultInbound!: FirewallPolicy;

  @ApiProperty({
    type: [FirewallRuleDto],
    description: 'The exceptions to the default: accepted when it is DROP, dropped when it is ACCEPT',
  })
  @IsArray({ message: 'inbound must be a list of rules' })
  @ArrayMaxSize(MAX_FIREWALL_RULES, { message: `inbound must have at most ${MAX_FIREWALL_RULES} rules` })
  @ValidateNested({ each: true })
  @Type(() => FirewallRuleDto)
  inbound!: FirewallRuleDto[];
}

export class FirewallRuleViewDto {
  @ApiProperty({ enum: FIREWALL_PROTOCOLS }) protocol!: FirewallProtocol;
  @ApiProperty({ type: String, nullable: true }) ports!: string | null;
  @ApiProperty({ type: [String] }) addresses!: string[];
}

export class FirewallRulesViewDto {
  @ApiProperty({ enum: FIREWALL_POLICIES }) defaultInbound!: FirewallPolicy;
  @ApiProperty({ type: [FirewallRuleViewDto] }) inbound!: FirewallRuleViewDto[];
}

export class VpsFirewallDto extends FirewallRulesViewDto {
  @ApiProperty({
    enum: ['server', 'default'],
    description: "server: the server's own rules; default: none of its own, the platform's default policy",
  })
  source!: 'server' | 'default';
  @ApiProperty({
    type: FirewallRulesViewDto,
    nullable: true,
    description: 'Rules being applied by a firewall operation in progress',
  })
  pending!: FirewallRulesViewDto | null;
}

import { ApiProperty } from '@nestjs/swagger';
import { VPS_STATUSES, type VpsStatus } from '@stratus/projections';

export class VpsSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'web-1' }) label!: string;
  @ApiProperty({ enum: VPS_STATUSES }) status!: VpsStatus;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ example: 'us-east' }) region!: string;
  @ApiProperty({ example: 'linode/debian12' }) image!: string;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' }) ipv4!: string | null;
  @ApiProperty({ example: '0.010958', description: 'Fixed at creation' }) hourlyPrice!: string;
  @ApiProperty({ example: '8.000000', description: 'Fixed at creation' }) monthlyPrice!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class VpsProvisioningDto {
  @ApiProperty({ type: String, nullable: true, example: 'waiting_for_running' }) stage!: string | null;
  @ApiProperty() attempt!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why provisioning is stuck or failed' }) error!:
    string | null;
  @ApiProperty() workflowId!: string;
}

export class VpsDetailDto extends VpsSummaryDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: 'g6-nanode-1' }) providerPlanId!: string;
  @ApiProperty() backups!: boolean;
  @ApiProperty({ type: [String] }) sshKeyIds!: string[];
  @ApiProperty({ type: VpsProvisioningDto }) provisioning!: VpsProvisioningDto;
  @ApiProperty({ type: String, nullable: true }) providerInstanceId!: string | null;
  @ApiProperty({ nullable: true, enum: ['boot', 'shutdown', 'reboot'] }) lastPowerAction!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPowerActionAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastBilledAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The server is paid up to here',
  })
  billedUntil!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Unpaid amount while suspended' }) debt!:
    string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt!: string | null;
}

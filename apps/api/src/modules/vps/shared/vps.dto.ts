import { ApiProperty } from '@nestjs/swagger';
import { VPS_OPERATION_KINDS, type VpsOperationKind } from '@stratus/domain';
import { VPS_STATUSES, type VpsStatus } from '@stratus/projections';

/** An operation on a server, as requested (its effect applies when it completes). */
export class VpsOperationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: VPS_OPERATION_KINDS }) kind!: VpsOperationKind;
  @ApiProperty({ example: 'vps-rename-…' }) workflowId!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'rename: the new label' }) label!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'reverse_dns: the address' }) ipv4!:
    string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "reverse_dns: the host name (null: back to the provider's default)",
  })
  hostname!: string | null;
  // ---- rebuild, resize, backups (issue 15) ----
  @ApiProperty({ type: String, nullable: true, description: 'rebuild: the image' }) image!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'resize: the new plan' })
  planId!: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'backups: enabled (true) or disabled (false)' })
  backups!: boolean | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '0.016438',
    description: 'resize, backups: the hourly price from the next billing period on',
  })
  hourlyPrice!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '12.000000' }) monthlyPrice!: string | null;
}

/** How the server's last operation ended. */
export class VpsLastOperationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: VPS_OPERATION_KINDS }) kind!: VpsOperationKind;
  @ApiProperty({ enum: ['completed', 'failed'] }) outcome!: 'completed' | 'failed';
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed (the provider’s answer)' })
  reason!: string | null;
  @ApiProperty({ format: 'date-time' }) finishedAt!: string;
}

/** 202 of an operation: it is recorded and its workflow started. */
export class VpsOperationAcceptedDto {
  @ApiProperty({ type: VpsOperationDto }) operation!: VpsOperationDto;
  @ApiProperty({ example: 'vps-rename-…' }) workflowId!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}

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
  @ApiProperty({
    type: String,
    nullable: true,
    description: "Reverse DNS of ipv4 set through Stratus (null: the provider's default)",
  })
  reverseDns!: string | null;
  @ApiProperty({
    type: VpsOperationDto,
    nullable: true,
    description:
      'The operation in progress; another one is refused (409 operation_in_progress) until it ends',
  })
  operation!: VpsOperationDto | null;
  @ApiProperty({ type: VpsLastOperationDto, nullable: true }) lastOperation!: VpsLastOperationDto | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt!: string | null;
}

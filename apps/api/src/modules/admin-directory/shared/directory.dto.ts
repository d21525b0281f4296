import { ApiProperty } from '@nestjs/swagger';
import { VPS_STATUSES } from '@stratus/projections';
import { RoleIdProperty, RoleNameProperty } from '../../../shared/http/role-properties';

export class AdminUserSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['admin', 'customer'] }) platformRole!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AdminUsersResponseDto {
  @ApiProperty({ type: [AdminUserSummaryDto] }) items!: AdminUserSummaryDto[];
}

export class AdminUserMembershipDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ type: String, nullable: true }) organizationName!: string | null;
  @RoleIdProperty() role!: string;
  @RoleNameProperty() roleName!: string;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class AdminUserDetailDto extends AdminUserSummaryDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) activeOrganizationId!: string | null;
  @ApiProperty({ type: [AdminUserMembershipDto] }) memberships!: AdminUserMembershipDto[];
}

export class AdminOrganizationSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() memberCount!: number;
  @ApiProperty({
    type: String,
    example: '25.000000',
    nullable: true,
    description: 'null until the wallet is projected',
  })
  balance!: string | null;
}

export class AdminOrganizationsResponseDto {
  @ApiProperty({ type: [AdminOrganizationSummaryDto] }) items!: AdminOrganizationSummaryDto[];
}

export class AdminOrganizationMemberDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @RoleIdProperty() role!: string;
  @RoleNameProperty() roleName!: string;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class AdminOrganizationServerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: VPS_STATUSES }) status!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ example: '0.008219' }) hourlyPrice!: string;
  @ApiProperty({ type: String, nullable: true }) provisioningStage!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AdminWalletTransactionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'WalletCredited' }) type!: string;
  @ApiProperty({ example: '25.000000', description: 'Signed: charges are negative' }) amount!: string;
  @ApiProperty({ example: '25.000000' }) balanceAfter!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
  @ApiProperty() actorUserId!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

export class AdminOrganizationWalletDto {
  @ApiProperty({ example: '25.000000' }) balance!: string;
  @ApiProperty({
    example: '0.000000',
    description:
      'Charges left unpaid by deleted servers, not part of the balance; the next credit collects them',
  })
  outstandingDebt!: string;
  @ApiProperty({ enum: ['USD'] }) currency!: string;
  @ApiProperty() transactionCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}

export class AdminOrganizationDetailDto extends AdminOrganizationSummaryDto {
  @ApiProperty({ type: AdminOrganizationWalletDto }) wallet!: AdminOrganizationWalletDto;
  @ApiProperty({ type: [AdminOrganizationMemberDto] }) members!: AdminOrganizationMemberDto[];
  @ApiProperty({ type: [AdminOrganizationServerDto] }) servers!: AdminOrganizationServerDto[];
  @ApiProperty({ type: [AdminWalletTransactionDto], description: 'The 20 newest ledger entries' })
  recentTransactions!: AdminWalletTransactionDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RECONCILIATION_RUN_STATUSES } from '@stratus/projections';
import { IsOptional, IsString } from 'class-validator';
import { RECONCILIATION_LINE_KINDS } from '@stratus/domain';

export class RunReconciliationRequestDto {
  @ApiProperty({
    example: '2026-11-01T00:00:00Z',
    description: 'Periods due at or after this instant (ISO-8601)',
  })
  @IsString({ message: 'from must be an ISO-8601 instant string' })
  from!: string;

  @ApiProperty({
    example: '2026-12-01T00:00:00Z',
    description: 'Periods due before this instant (ISO-8601); at most 366 days after from',
  })
  @IsString({ message: 'to must be an ISO-8601 instant string' })
  to!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this organization (default: all)' })
  @IsOptional()
  @IsString({ message: 'organizationId must be a string' })
  organizationId?: string;
}

export class ReconciliationLineDto {
  @ApiProperty({
    example: 'rl-3f2a9c0d1e4b5a67',
    description: 'Deterministic: the same problem has the same id in every run',
  })
  lineId!: string;
  @ApiProperty({
    enum: RECONCILIATION_LINE_KINDS,
    description:
      "unpaid: the wallet could not pay yet; debt: left unpaid at the server's deletion, the wallet's outstanding debt (collected from the next credit). Neither is a billing error. missing_credit, missing_refund_debit and missing_dispute_debit are resolved by the payment's own credit or debit (no amount); the other kinds by an adjustment",
  })
  kind!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The server of a period's line; null for a payment's",
  })
  vpsId!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "The payment of a payment's line (null for a payment credit no payment explains)",
  })
  paymentId?: string | null;
  @ApiProperty({
    example: 'vps-<id>:2026-11-01T10:00:00.000Z',
    description:
      "A period's charge id; a payment's ledger key: payment-capture:<capture id> (its credit) or payment-<payment id>:<refund or dispute id> (its debit)",
  })
  chargeId!: string;
  @ApiProperty({ description: "For a payment's line, when its capture, refund or dispute was recorded" })
  periodStart!: string;
  @ApiProperty() periodEnd!: string;
  @ApiProperty({
    example: '0.006849',
    description:
      'What the server events say was owed; for a payment, what the wallet should have moved (a credit counts negative)',
  })
  expected!: string;
  @ApiProperty({
    example: '0.013698',
    description: 'Charged net of refunds and adjustments referencing it (payment credits count negative)',
  })
  charged!: string;
  @ApiProperty({ example: '-0.006849', description: 'expected − charged (negative: overcharged)' })
  difference!: string;
  @ApiProperty({ type: [String] }) eventIds!: string[];
  @ApiProperty({
    type: () => ReconciliationResolutionDto,
    nullable: true,
    description: 'The wallet adjustment that corrected the line; null until resolved',
  })
  resolution!: ReconciliationResolutionDto | null;
}

/** How a line was corrected: a wallet adjustment, its reason, and who made it. */
export class ReconciliationResolutionDto {
  @ApiProperty({ example: '-0.006849', description: 'The adjustment credited (+) or debited (−), USD' })
  adjustmentAmount!: string;
  @ApiPropertyOptional({
    example: '2.000000',
    description: 'A payment debit the balance could not cover: the part recorded as outstanding debt instead',
  })
  debtRecorded?: string;
  @ApiProperty({ example: 'Duplicate charge refunded' }) reason!: string;
  @ApiProperty({ description: 'The wallet event that made the adjustment' }) walletEventRef!: string;
  @ApiProperty({ description: 'The staff user who resolved the line' }) resolvedBy!: string;
  @ApiProperty({ example: '2026-12-02T09:30:00.000Z' }) resolvedAt!: string;
}

export class ReconciliationSummaryDto {
  @ApiProperty() servers!: number;
  @ApiPropertyOptional({ description: 'Payments checked (absent in runs recorded before payments were)' })
  payments?: number;
  @ApiProperty() lines!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Lines per discrepancy kind',
    example: { missing_charge: 0, duplicate_charge: 1 },
  })
  discrepancies!: Record<string, number>;
  @ApiProperty() unpaid!: number;
  @ApiProperty({ example: '12.000000', description: "Servers' periods only" }) expectedTotal!: string;
  @ApiProperty({ example: '12.006849', description: "Servers' periods only" }) chargedTotal!: string;
}

/** The run requested: its replay runs in the background; GET …/:reconciliationId shows status and progress. */
export class ReconciliationRequestedDto {
  @ApiProperty({ format: 'uuid', description: 'The run id' }) reconciliationId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ nullable: true, type: String }) organizationId!: string | null;
  @ApiProperty() periodSeconds!: number;
  @ApiProperty({ example: '7841/1203', nullable: true, type: String }) position!: string | null;
}

export class ReconciliationProgressDto {
  @ApiProperty({ description: 'Organizations replayed so far' }) organizations!: number;
  @ApiProperty({ description: 'Events read so far' }) eventsRead!: number;
}

/** A run as GET …/billing/reconciliations lists it (no lines): summary and counts are those found so far while it runs. */
export class ReconciliationListItemDto {
  @ApiProperty({ format: 'uuid' }) reconciliationId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ nullable: true, type: String }) organizationId!: string | null;
  @ApiProperty() periodSeconds!: number;
  @ApiProperty({ enum: RECONCILIATION_RUN_STATUSES }) status!: (typeof RECONCILIATION_RUN_STATUSES)[number];
  @ApiProperty({ type: ReconciliationProgressDto }) progress!: ReconciliationProgressDto;
  @ApiProperty({ nullable: true, type: String, description: 'Why the run failed' }) failure!: string | null;
  @ApiProperty({ type: ReconciliationSummaryDto }) summary!: ReconciliationSummaryDto;
  @ApiProperty() discrepancies!: number;
  @ApiProperty() resolved!: number;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

/** A page of runs, newest first. */
export class ReconciliationListDto {
  @ApiProperty({ type: [ReconciliationListItemDto] }) items!: ReconciliationListItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?before= for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}

/** A run as GET …/:reconciliationId shows it: summary and lines are those found so far while it runs. */
export class ReconciliationDetailDto extends ReconciliationListItemDto {
  @ApiProperty({
    type: [ReconciliationLineDto],
    description: 'Each with its resolution (null until resolved)',
  })
  lines!: ReconciliationLineDto[];
}

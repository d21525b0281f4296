import { ApiProperty } from '@nestjs/swagger';

/** Prices a customer sees, computed by the domain's pricing from the plan's monthly prices. */
export class PlanPricesDto {
  @ApiProperty({ example: '0.008219', description: 'USD per hour, decimal string' }) hourlyPrice!: string;
  @ApiProperty({ example: '6.000000', description: 'USD per month (730 hours), decimal string' })
  monthlyPrice!: string;
  @ApiProperty({ example: '0.010958' }) hourlyPriceWithBackups!: string;
  @ApiProperty({ example: '8.000000' }) monthlyPriceWithBackups!: string;
}

/** The provider type's resources behind a plan. */
export class PlanSpecsDto {
  @ApiProperty({ type: 'integer', example: 1 }) vcpus!: number;
  @ApiProperty({ type: 'integer', example: 1024 }) memoryMb!: number;
  @ApiProperty({ type: 'integer', example: 25600 }) diskMb!: number;
  @ApiProperty({ type: 'integer', example: 1000 }) transferGb!: number;
}

/** A plan as customers see it (active plans only). */
export class OfferedPlanDto extends PlanPricesDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Nanode 1 GB' }) name!: string;
  @ApiProperty({ type: [String], example: ['us-east', 'eu-west'] }) regions!: string[];
  @ApiProperty({
    type: PlanSpecsDto,
    nullable: true,
    description: "The provider type's resources; null while the provider cannot be reached",
  })
  specs!: PlanSpecsDto | null;
}

/** A plan as staff see it: its price components too, inactive plans included. */
export class PlanDto extends PlanPricesDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'linode' }) provider!: string;
  @ApiProperty({ example: 'g6-nanode-1' }) providerPlanId!: string;
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty({ example: '5.000000' }) baseMonthlyPrice!: string;
  @ApiProperty({ example: '1.000000' }) markup!: string;
  @ApiProperty({ example: '2.000000' }) backupUpcharge!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) createdAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}

export class PlanCommandResponseDto extends PlanDto {
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}

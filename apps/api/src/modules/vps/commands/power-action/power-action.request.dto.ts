import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { VpsPowerAction } from '@stratus/domain';

export const POWER_ACTIONS: readonly VpsPowerAction[] = ['boot', 'shutdown', 'reboot'];

export class PowerActionRequestDto {
  @ApiProperty({ enum: POWER_ACTIONS })
  @IsIn(POWER_ACTIONS, { message: `action must be one of ${POWER_ACTIONS.join(', ')}` })
  action!: VpsPowerAction;
}

export class PowerActionResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: POWER_ACTIONS }) action!: VpsPowerAction;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}

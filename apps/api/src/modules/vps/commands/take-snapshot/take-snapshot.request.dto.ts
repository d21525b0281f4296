import { ApiProperty } from '@nestjs/swagger';
import { MAX_SNAPSHOT_LABEL_LENGTH } from '@stratus/domain';
import { IsString, MaxLength } from 'class-validator';

/** The label's rules are the decider's (requireSnapshotLabel). */
export class TakeSnapshotRequestDto {
  @ApiProperty({ example: 'before-upgrade', maxLength: MAX_SNAPSHOT_LABEL_LENGTH })
  @IsString({ message: 'label must be a string' })
  @MaxLength(MAX_SNAPSHOT_LABEL_LENGTH + 1, {
    message: `label must be at most ${MAX_SNAPSHOT_LABEL_LENGTH} characters`,
  })
  label!: string;
}

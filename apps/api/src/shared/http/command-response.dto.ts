import { ApiProperty } from '@nestjs/swagger';
import { formatPosition, type Position } from '@stratus/eventstore';

/** Every command answers with the global position of its last event, for X-Min-Position. */
export class PositionedResponseDto {
  @ApiProperty({
    type: String,
    example: '7841/1203',
    nullable: true,
    description:
      'Position of the last event written; send it as X-Min-Position on the next query to read your write',
  })
  position!: string | null;
}

export function positionText(position: Position | null | undefined): string | null {
  return position ? formatPosition(position) : null;
}

/** The later of two positions (a use case touching several streams answers with its last one). */
export function laterPosition(a: Position | null, b: Position | null): Position | null {
  if (!a) return b;
  if (!b) return a;
  if (a.commit !== b.commit) return a.commit > b.commit ? a : b;
  return a.prepare >= b.prepare ? a : b;
}

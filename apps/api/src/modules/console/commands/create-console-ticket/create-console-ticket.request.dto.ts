import { ApiProperty } from '@nestjs/swagger';

export class ConsoleTicketResponseDto {
  @ApiProperty({
    description: 'Single-use secret for the first WebSocket message: {"type":"auth","ticket":…}',
  })
  ticket!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'The ticket must be presented before this instant (30 s)',
  })
  expiresAt!: string;
  @ApiProperty({ example: 'ws://localhost:3001/api/console', description: 'Where the browser connects' })
  websocketUrl!: string;
}

import { ApiProperty } from '@nestjs/swagger';

export class WebhookReceivedResponseDto {
  @ApiProperty({ example: true }) received!: true;
  @ApiProperty({
    enum: ['applied', 'unknown_payment', 'ignored', 'duplicate'],
    description: 'What the delivery did; a duplicate event id changes nothing',
  })
  outcome!: 'applied' | 'unknown_payment' | 'ignored' | 'duplicate';
}

import { ApiProperty } from '@nestjs/swagger';

export class MailOutboxCountsDto {
  @ApiProperty() pending!: number;
  @ApiProperty() sending!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ description: 'Sent without the server’s confirmation for over a minute: possibly lost' })
  unconfirmed!: number;
}

export class MailOutboxProblemDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'server_active' }) template!: string;
  @ApiProperty() toAddress!: string;
  @ApiProperty({ example: 'VpsActivated' }) eventType!: string;
  @ApiProperty({ enum: ['failed', 'unconfirmed'] }) problem!: 'failed' | 'unconfirmed';
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The SMTP server’s answer or the error' })
  lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

export class MailOutboxEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'server_active' }) template!: string;
  @ApiProperty() toAddress!: string;
  @ApiProperty({ example: 'VpsActivated' }) eventType!: string;
  @ApiProperty({ enum: ['pending', 'sending', 'sent', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The SMTP server’s answer or the error' })
  lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The server’s 250' })
  confirmedAt!: string | null;
}

export class MailOutboxDto {
  @ApiProperty({ type: MailOutboxCountsDto }) counts!: MailOutboxCountsDto;
  @ApiProperty({ type: [MailOutboxProblemDto], description: 'Newest first, at most 100' })
  problems!: MailOutboxProblemDto[];
  @ApiProperty({ type: [MailOutboxEntryDto], description: 'Every mail, newest first, at most 100' })
  recent!: MailOutboxEntryDto[];
}

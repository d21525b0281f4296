import { ApiProperty } from '@nestjs/swagger';
import { MAX_HOSTNAME_LENGTH } from '@stratus/domain';
import { IsString, MaxLength, ValidateIf } from 'class-validator';

/** The host name's rules are the decider's (requireHostname). */
export class SetReverseDnsRequestDto {
  @ApiProperty({ example: '203.0.113.7', description: "The server's IPv4 address" })
  @IsString({ message: 'ipv4 must be a string' })
  @MaxLength(15, { message: 'ipv4 must be a dotted IPv4 address' })
  ipv4!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'mail.example.com',
    maxLength: MAX_HOSTNAME_LENGTH,
    description:
      "A fully qualified host name whose forward DNS points at the address (the provider checks it); null: back to the provider's default",
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsString({ message: 'hostname must be a string or null' })
  @MaxLength(MAX_HOSTNAME_LENGTH + 1, {
    message: `hostname must be at most ${MAX_HOSTNAME_LENGTH} characters`,
  })
  hostname!: string | null;
}

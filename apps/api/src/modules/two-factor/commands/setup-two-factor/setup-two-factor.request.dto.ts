import { ApiProperty } from '@nestjs/swagger';

export class TwoFactorSetupResponseDto {
  @ApiProperty({ description: 'The TOTP secret, base32, for typing into an authenticator app by hand' })
  secret!: string;
  @ApiProperty({ example: 'otpauth://totp/Stratus:ada%40example.com?issuer=Stratus&secret=…' })
  otpauthUrl!: string;
  @ApiProperty({ description: 'The otpauthUrl as a QR code (an SVG document)' })
  qrSvg!: string;
}

import { ApiProperty } from '@nestjs/swagger';

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['admin', 'customer'] }) platformRole!: 'admin' | 'customer';
}

export function userDto(user: {
  userId: string;
  email: string;
  name: string;
  platformRole: 'admin' | 'customer';
}): UserDto {
  return { id: user.userId, email: user.email, name: user.name, platformRole: user.platformRole };
}

import { ApiProperty } from '@nestjs/swagger';
import { Equals } from 'class-validator';

/** A restore overwrites the server's disks: the caller says so explicitly. */
export class RestoreBackupRequestDto {
  @ApiProperty({ enum: [true], description: "true: the server's disks are overwritten by the backup" })
  @Equals(true, { message: "confirm must be true: a restore overwrites the server's disks" })
  confirm!: true;
}

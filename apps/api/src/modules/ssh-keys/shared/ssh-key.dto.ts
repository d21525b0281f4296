import { ApiProperty } from '@nestjs/swagger';
import { SSH_KEY_ALGORITHMS, type SshKeyAlgorithm } from '@stratus/domain';
import type { SshKeyRow } from '@stratus/projections';

export class SshKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Laptop' }) name!: string;
  @ApiProperty({ enum: SSH_KEY_ALGORITHMS }) algorithm!: SshKeyAlgorithm;
  @ApiProperty({ example: 256, description: 'Key size in bits' }) bits!: number;
  @ApiProperty({
    example: 'SHA256:wb6nUhUpFTqdUNWVgVXyIggrPibUsJ+9V7InhLN8+QA',
    description: 'As `ssh-keygen -l` shows it',
  })
  fingerprint!: string;
  @ApiProperty({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… ada@laptop' }) publicKey!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SshKeyListDto {
  @ApiProperty({ type: [SshKeyDto], description: 'Oldest first (at most 100)' }) items!: SshKeyDto[];
}

export function sshKeyView(row: SshKeyRow): SshKeyDto {
  return {
    id: row.keyId,
    name: row.name,
    algorithm: row.algorithm,
    bits: row.bits,
    fingerprint: row.fingerprint,
    publicKey: row.publicKey,
    createdAt: row.createdAt.toISOString(),
  };
}

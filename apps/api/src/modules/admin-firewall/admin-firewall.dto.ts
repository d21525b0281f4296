import { ApiProperty } from '@nestjs/swagger';
import { FirewallRulesViewDto } from '../vps/shared/backups-firewall.dto';

export class FirewallPolicyDto extends FirewallRulesViewDto {
  @ApiProperty({ description: 'false: staff never set one (servers get no default firewall)' })
  set!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The staff member who set it last' })
  updatedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}

export class FirewallPolicyUpdatedDto extends FirewallRulesViewDto {
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}

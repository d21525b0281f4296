export { SetFirewallRequestDto } from '../../shared/backups-firewall.dto';

export { SetFirewallRequestDto as SetFirewallPolicyRequestDto } from '../../../vps/shared/backups-firewall.dto';

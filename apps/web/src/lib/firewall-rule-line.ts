/** A firewall rule as one line of the staff's policy form: "TCP 22,80 0.0.0.0/0 ::/0" (ports "all": every port). */
export function firewallRuleLine(rule: {
  protocol: string;
  ports?: string | null;
  addresses: string[];
}): string {
  return [rule.protocol, rule.protocol === 'ICMP' ? null : (rule.ports ?? 'all'), ...rule.addresses]
    .filter((part) => part !== null)
    .join(' ');
}

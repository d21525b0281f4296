import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import {
  firewallPolicyDecider,
  type FirewallPolicyEvent,
  type SetFirewallPolicy,
} from './firewall-policy.decider';

const spec = DeciderSpecification.for(firewallPolicyDecider);
const staff = metadataFor('staff-1');
const set = (rules: unknown): SetFirewallPolicy => ({
  type: 'SetFirewallPolicy',
  data: { rules },
  metadata: staff,
});
const sshOnly = {
  defaultInbound: 'DROP' as const,
  inbound: [{ protocol: 'TCP' as const, ports: '22', addresses: ['0.0.0.0/0'] }],
};
const first: FirewallPolicyEvent = { type: 'FirewallPolicySet', data: { rules: sshOnly, previous: null } };

describe('firewall policy decider', () => {
  describe('never set', () => {
    it('records the policy, checked like a server’s rules', () => {
      spec.given([]).when(set(sshOnly)).then([first]);
      spec
        .given([])
        .when(
          set({
            defaultInbound: 'DROP',
            inbound: [{ protocol: 'TCP', ports: '99999', addresses: ['::/0'] }],
          }),
        )
        .thenThrows('validation', 'invalid_firewall_rules', { field: 'inbound[0].ports' });
    });
  });

  describe('set', () => {
    it('the same rules again record nothing; others replace them, naming the previous', () => {
      spec.given([first]).when(set(sshOnly)).then([]);
      const open = { defaultInbound: 'ACCEPT' as const, inbound: [] };
      spec
        .given([first])
        .when(set(open))
        .then([{ type: 'FirewallPolicySet', data: { rules: open, previous: sshOnly } }]);
    });
  });
});

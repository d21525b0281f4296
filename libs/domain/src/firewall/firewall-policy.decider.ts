import { assertNever, type Command, type Decider, type DomainEvent } from '../shared/decider';
import { requireFirewallRules, type FirewallRules } from './firewall-rules';

/**
 * The platform's default inbound firewall policy, set by staff (`streams.firewallPolicy()`, one stream, the staff
 * member as the event's actor). It applies to servers without rules of their own: new servers are created behind
 * the platform's default Cloud Firewall, which carries these rules (see README "Firewall").
 */
export type FirewallPolicySet = DomainEvent<
  'FirewallPolicySet',
  { rules: FirewallRules; previous: FirewallRules | null }
>;
export type FirewallPolicyEvent = FirewallPolicySet;

/** Replace the default rules; the same rules again record nothing. */
export type SetFirewallPolicy = Command<'SetFirewallPolicy', { rules: unknown }>;

export interface FirewallPolicyState {
  /** Null until staff set one: servers get no default firewall. */
  rules: FirewallRules | null;
}

/** The label of the platform's default Cloud Firewall at the provider (found again by it). */
export const PLATFORM_FIREWALL_LABEL = 'stratus-default';

export const firewallPolicyDecider: Decider<FirewallPolicyState, SetFirewallPolicy, FirewallPolicyEvent> = {
  initialState: () => ({ rules: null }),
  evolve(_state, event) {
    switch (event.type) {
      case 'FirewallPolicySet':
        return { rules: event.data.rules };
      default:
        return assertNever(event.type);
    }
  },
  decide(command, state) {
    const rules = requireFirewallRules(command.data.rules);
    if (state.rules !== null && JSON.stringify(state.rules) === JSON.stringify(rules)) return [];
    return [{ type: 'FirewallPolicySet', data: { rules, previous: state.rules } }];
  },
};

import {
  PLATFORM_FIREWALL_LABEL,
  STRATUS_INSTANCE_TAG,
  type CloudProvider,
  type FirewallRules,
} from '@stratus/domain';

/**
 * The platform's default Cloud Firewall at the provider, carrying the staff's default policy: found again by its
 * label (created when missing), its rules set when they differ. New servers are created behind it; a server that
 * gets rules of its own leaves it. Used by the staff route that sets the policy and by provisioning's create step,
 * so both converge on the same firewall whatever failed in between.
 */
export async function syncPlatformFirewall(provider: CloudProvider, rules: FirewallRules): Promise<string> {
  const found = await provider.findFirewallByLabel(PLATFORM_FIREWALL_LABEL);
  if (found) {
    if (JSON.stringify(found.rules) !== JSON.stringify(rules))
      await provider.setFirewallRules(found.id, rules);
    return found.id;
  }
  const created = await provider.createFirewall({
    label: PLATFORM_FIREWALL_LABEL,
    tags: [STRATUS_INSTANCE_TAG],
    rules,
    instanceIds: [],
  });
  return created.id;
}

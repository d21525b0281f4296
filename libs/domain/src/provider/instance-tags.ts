/**
 * How Stratus marks a server's instances at the cloud provider. The workers create instances with these tags;
 * the API and the workers find a server's instances again by vpsInstanceTag, whatever happened to the records.
 */
export const STRATUS_INSTANCE_TAG = 'stratus';

/** The tag that finds a server's instances at the provider. */
export const vpsInstanceTag = (vpsId: string) => `vps:${vpsId}`;

/** Every tag a server's instance is created with. */
export const vpsInstanceTags = (vpsId: string) => [STRATUS_INSTANCE_TAG, vpsInstanceTag(vpsId)];

/** Linode's label limit. */
const MAX_INSTANCE_LABEL_LENGTH = 64;

/**
 * The label a server's instance carries at the provider (created with it, renamed to it): the customer's label and
 * the first eight characters of the server id. Provider labels are unique per account and customers' are not, so
 * the id tells two organizations' "web-1" apart; the label is cut to fit 64 characters, and separators it would
 * end on are dropped (no "--"). A valid server label gives a valid provider label.
 */
export function vpsInstanceLabel(vpsId: string, label: string): string {
  const suffix = vpsId.replace(/-/g, '').slice(0, 8);
  const head = label.slice(0, MAX_INSTANCE_LABEL_LENGTH - 1 - suffix.length).replace(/[-_.]+$/, '');
  return `${head}-${suffix}`;
}

/**
 * The label of a server's own cloud firewall at the provider (32 characters at most, unique per account): found
 * again by it after a retry, so the firewall operation never creates two.
 */
export const vpsFirewallLabel = (vpsId: string) => `vps-${vpsId.replace(/-/g, '').slice(0, 28)}`;

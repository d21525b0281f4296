/**
 * How Stratus marks a server's instances at the cloud provider. The workers create instances with these tags;
 * the API and the workers find a server's instances again by vpsInstanceTag, whatever happened to the records.
 */
export const STRATUS_INSTANCE_TAG = 'stratus';

/** The tag that finds a server's instances at the provider. */
export const vpsInstanceTag = (vpsId: string) => `vps:${vpsId}`;

/** Every tag a server's instance is created with. */
export const vpsInstanceTags = (vpsId: string) => [STRATUS_INSTANCE_TAG, vpsInstanceTag(vpsId)];

/** The label a server's instance is created with. */
export const vpsInstanceLabel = (vpsId: string) => `stratus-${vpsId}`;

/** The CloudProvider (Linode adapter) the API calls for catalog lists and power actions. */
export const CLOUD_PROVIDER = Symbol('CLOUD_PROVIDER');
/** Resolved VpsSettings (see catalog.settings.ts). */
export const VPS_SETTINGS = Symbol('VPS_SETTINGS');

import { CONFIG_SCHEMA, SecretBox, type ConfigKey, type VariableSpec } from '@stratus/infra';
import type { CloudProvider } from '@stratus/domain';
import type { ApiConfig } from './api-config';

/** Resolved VpsSettings: what the catalog, servers, billing and console use (LINODE_*, SECRETS_ENCRYPTION_KEY, billing). */
export const VPS_SETTINGS = Symbol('VPS_SETTINGS');

export interface VpsSettings {
  linode: { apiUrl: string; token: string };
  /** SECRETS_ENCRYPTION_KEY (32 bytes, base64). */
  secretsEncryptionKey: string;
  billingPeriodSeconds: number;
  suspendGraceSeconds: number;
  /** A server suspended this many days is deleted by the system (SUSPENDED_DELETE_AFTER_DAYS). */
  suspendedDeleteAfterDays: number;
  provisioningRunningTimeoutSeconds: number;
  /** Creating a server needs its first hour plus this many hours of its price in the wallet. */
  minBalanceHours: number;
  /** How long the provider's regions, images and types are kept in memory. */
  providerCacheTtlMs: number;
  /** Use this provider instead of a Linode adapter built from `linode` (tests: the simulator's adapter). */
  provider?: CloudProvider;
}

const DEFAULT_PROVIDER_CACHE_TTL_MS = 5 * 60_000;

function schemaDefault(key: ConfigKey): string | undefined {
  return (CONFIG_SCHEMA[key] as VariableSpec).default;
}

function schemaNumber(key: ConfigKey): number {
  return Number(schemaDefault(key));
}

/**
 * `config.vps` (filled from the validated environment by apiConfigFrom, or by a test) first, then the
 * schema's defaults. Under NODE_ENV=test a missing encryption key is a throwaway one.
 */
export function resolveVpsSettings(config: ApiConfig): VpsSettings {
  const given = config.vps ?? {};
  let secretsEncryptionKey = given.secretsEncryptionKey;
  if (!secretsEncryptionKey) {
    // Production and development validate it at start-up (loadConfig); the API's own tests need not care.
    if (config.nodeEnv !== 'test') throw new Error('SECRETS_ENCRYPTION_KEY is required');
    secretsEncryptionKey = SecretBox.generateKey();
  }
  return {
    linode: given.linode ?? {
      apiUrl: schemaDefault('LINODE_API_URL') ?? 'http://127.0.0.1:4010/v4',
      token: schemaDefault('LINODE_TOKEN') ?? 'simulator-token',
    },
    secretsEncryptionKey,
    billingPeriodSeconds: given.billingPeriodSeconds ?? schemaNumber('BILLING_PERIOD_SECONDS'),
    suspendGraceSeconds: given.suspendGraceSeconds ?? schemaNumber('SUSPEND_GRACE_SECONDS'),
    suspendedDeleteAfterDays: given.suspendedDeleteAfterDays ?? schemaNumber('SUSPENDED_DELETE_AFTER_DAYS'),
    provisioningRunningTimeoutSeconds:
      given.provisioningRunningTimeoutSeconds ?? schemaNumber('PROVISIONING_RUNNING_TIMEOUT_SECONDS'),
    minBalanceHours: given.minBalanceHours ?? schemaNumber('VPS_MIN_BALANCE_HOURS'),
    providerCacheTtlMs: given.providerCacheTtlMs ?? DEFAULT_PROVIDER_CACHE_TTL_MS,
    ...(given.provider ? { provider: given.provider } : {}),
  };
}

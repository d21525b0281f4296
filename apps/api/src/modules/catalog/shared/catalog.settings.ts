import { CONFIG_SCHEMA, SecretBox, type VariableSpec } from '@stratus/infra';
import type { CloudProvider } from '@stratus/domain';
import type { ApiConfig } from '../../../shared/config/api-config';

/** What the catalog and servers use from the configuration (LINODE_*, SECRETS_ENCRYPTION_KEY, billing). */
export interface VpsSettings {
  linode: { apiUrl: string; token: string };
  /** SECRETS_ENCRYPTION_KEY (32 bytes, base64). */
  secretsEncryptionKey: string;
  billingPeriodSeconds: number;
  suspendGraceSeconds: number;
  provisioningRunningTimeoutSeconds: number;
  /** Creating a server needs its first hour plus this many hours of its price in the wallet. */
  minBalanceHours: number;
  /** How long the provider's regions, images and types are kept in memory. */
  providerCacheTtlMs: number;
  /** Use this provider instead of a Linode adapter built from `linode` (tests: the simulator's adapter). */
  provider?: CloudProvider;
}

declare module '../../../shared/config/api-config' {
  interface ApiConfig {
    /** When absent: the environment (schema defaults); under NODE_ENV=test a throwaway encryption key. */
    vps?: Partial<VpsSettings>;
  }
}

const DEFAULT_PROVIDER_CACHE_TTL_MS = 5 * 60_000;

function fromEnv(key: keyof typeof CONFIG_SCHEMA, env: NodeJS.ProcessEnv): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? (CONFIG_SCHEMA[key] as VariableSpec).default : value;
}

/** Explicit `config.vps` values first, then the (already validated) environment, then the schema's defaults. */
export function resolveVpsSettings(config: ApiConfig, env: NodeJS.ProcessEnv = process.env): VpsSettings {
  const given = config.vps ?? {};
  const number = (key: keyof typeof CONFIG_SCHEMA, fallback: number) => {
    const value = Number(fromEnv(key, env));
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  let secretsEncryptionKey = given.secretsEncryptionKey ?? fromEnv('SECRETS_ENCRYPTION_KEY', env);
  if (!secretsEncryptionKey) {
    // Production and development validate it at start-up (loadConfig); the API's own tests need not care.
    if (config.nodeEnv !== 'test') throw new Error('SECRETS_ENCRYPTION_KEY is required');
    secretsEncryptionKey = SecretBox.generateKey();
  }
  return {
    linode: given.linode ?? {
      apiUrl: fromEnv('LINODE_API_URL', env) ?? 'http://127.0.0.1:4010/v4',
      token: fromEnv('LINODE_TOKEN', env) ?? 'simulator-token',
    },
    secretsEncryptionKey,
    billingPeriodSeconds: given.billingPeriodSeconds ?? number('BILLING_PERIOD_SECONDS', 3600),
    suspendGraceSeconds: given.suspendGraceSeconds ?? number('SUSPEND_GRACE_SECONDS', 86400),
    provisioningRunningTimeoutSeconds:
      given.provisioningRunningTimeoutSeconds ?? number('PROVISIONING_RUNNING_TIMEOUT_SECONDS', 600),
    minBalanceHours: given.minBalanceHours ?? number('VPS_MIN_BALANCE_HOURS', 24),
    providerCacheTtlMs: given.providerCacheTtlMs ?? DEFAULT_PROVIDER_CACHE_TTL_MS,
    ...(given.provider ? { provider: given.provider } : {}),
  };
}

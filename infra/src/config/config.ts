import { CONFIG_SCHEMA, ConfigKey, ServiceName, VariableSpec } from './config.schema';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Config = Readonly<Record<ConfigKey, string | undefined>>;

/**
 * Validates the variables a service reads. Throws one ConfigError naming the first bad variable;
 * `exitOnConfigError` turns it into a single clear line and exit code 78 (EX_CONFIG).
 */
export function loadConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): Config {
  const values: Partial<Record<ConfigKey, string | undefined>> = {};
  for (const [key, spec] of Object.entries(CONFIG_SCHEMA) as [ConfigKey, VariableSpec][]) {
    if (!spec.services.includes(service)) continue;
    const raw = env[key];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    const conditional =
      spec.requiredWhen &&
      (values[spec.requiredWhen.variable as ConfigKey] ?? env[spec.requiredWhen.variable]) ===
        spec.requiredWhen.equals;
    if (value === undefined) {
      if (spec.optional && !conditional) {
        values[key] = undefined;
        continue;
      }
      throw new ConfigError(`${key} is required (${spec.description})`);
    }
    const problem = spec.validate?.(value);
    if (problem) throw new ConfigError(`${key} ${problem} (${spec.description})`);
    values[key] = value;
  }
  return Object.freeze(values) as Config;
}

export function requireValue(config: Config, key: ConfigKey): string {
  const value = config[key];
  if (value === undefined) throw new ConfigError(`${key} is required (${CONFIG_SCHEMA[key].description})`);
  return value;
}

export function loadConfigOrExit(service: ServiceName, env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(service, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`stratus ${service}: configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

/** Variables a service cannot start without (no default, not optional). */
export function requiredVariables(service: ServiceName): ConfigKey[] {
  return (Object.entries(CONFIG_SCHEMA) as [ConfigKey, VariableSpec][])
    .filter(([, spec]) => spec.services.includes(service) && spec.default === undefined && !spec.optional)
    .map(([key]) => key);
}

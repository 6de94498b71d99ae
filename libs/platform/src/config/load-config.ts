import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { ConfigError, type ConfigIssue } from './config-error';

export type EnvSource = Record<string, string | undefined>;
export type EnvClass<T extends object> = new () => T;

/** Values that must never be echoed back in an error message. */
const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|_KEY$|^KEY$)/i;
const MAX_ECHOED_LENGTH = 120;

/**
 * Reads, converts and validates the variables declared by `envClass`. Empty strings count as unset,
 * so `PORT=` in a compose file falls back to the default. Throws a ConfigError naming every bad variable.
 */
export function loadConfig<T extends object>(envClass: EnvClass<T>, env: EnvSource = process.env, serviceName?: string): T {
  const raw = pickDeclaredVariables(envClass, env);
  const config = plainToInstance(envClass, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true, validationError: { target: false } });
  if (errors.length > 0) throw new ConfigError(serviceName, errors.map((error) => describe(error, raw)));
  return Object.freeze(config);
}

function pickDeclaredVariables(envClass: EnvClass<object>, env: EnvSource): EnvSource {
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(envClass, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
  const picked: EnvSource = {};
  for (const name of declared) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

function describe(error: ValidationError, raw: EnvSource): ConfigIssue {
  const reasons = [...new Set(Object.values(error.constraints ?? {}))];
  return { variable: error.property, reason: `${reasons.join(' and ')} ${echo(error.property, raw[error.property])}` };
}

function echo(variable: string, value: string | undefined): string {
  if (value === undefined) return '(not set)';
  if (SECRET_NAME.test(variable)) return '(value hidden)';
  const shown = value.length > MAX_ECHOED_LENGTH ? `${value.slice(0, MAX_ECHOED_LENGTH)}…` : value;
  return `(got ${JSON.stringify(withoutPassword(shown))})`;
}

/** `postgres://crm:hunter2@db/crm` is echoed as `postgres://crm:***@db/crm`. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, '$1:***@');
}

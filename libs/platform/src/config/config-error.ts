/** One environment variable that failed validation, and why. */
export interface ConfigIssue {
  variable: string;
  reason: string;
}

/**
 * Thrown at start-up when the environment does not describe a runnable service. The message is meant
 * for an operator: it names every offending variable, so one restart fixes them all.
 */
export class ConfigError extends Error {
  constructor(
    readonly serviceName: string | undefined,
    readonly issues: readonly ConfigIssue[],
  ) {
    const scope = serviceName ? ` for service "${serviceName}"` : '';
    super(`Invalid configuration${scope}: ${issues.map((issue) => `${issue.variable} ${issue.reason}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

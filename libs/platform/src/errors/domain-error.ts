/** One invalid input, located by its property path (`items[0].sku`). */
export interface FieldError {
  field?: string;
  message: string;
}

export interface DomainErrorOptions {
  /** Stable, machine-readable identifier clients can branch on, e.g. `lead_already_converted`. */
  code?: string;
  errors?: FieldError[];
  cause?: unknown;
}

/**
 * A failure the caller can understand and act on. Services throw subclasses of the standard errors
 * (`class LeadNotFoundError extends NotFoundError`); the exception filter turns them into problem details,
 * so no controller formats an error response itself.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Short, human-readable summary of the problem type; the same for every occurrence. */
  abstract readonly title: string;
  protected abstract readonly defaultCode: string;

  readonly errors?: FieldError[];
  private readonly explicitCode?: string;

  constructor(
    /** What happened in this occurrence, safe to show to the caller. */
    readonly detail: string,
    options: DomainErrorOptions = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.explicitCode = options.code;
    this.errors = options.errors;
  }

  get code(): string {
    return this.explicitCode ?? this.defaultCode;
  }
}

export interface ExpressionLocation {
  taskId?: string;
  property?: string;
}

/**
 * What went wrong, so callers can react without parsing messages: `missing` (unknown variable or
 * property), `syntax`, `type` (wrong kind of value), `sandbox` (refused access), `limit` (a bound
 * was hit), `function` (a function failed or is not available).
 */
export type ExpressionErrorKind = 'syntax' | 'missing' | 'type' | 'sandbox' | 'limit' | 'function';

export function formatLocation(location: ExpressionLocation | undefined): string {
  if (!location) return '';
  const { taskId, property } = location;
  if (taskId && property) return `Task '${taskId}', property '${property}': `;
  if (taskId) return `Task '${taskId}': `;
  if (property) return `Property '${property}': `;
  return '';
}

/** The one error the expression engine throws. `message` starts with the location when known. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly kind: ExpressionErrorKind;
  readonly location?: ExpressionLocation;
  /** The expression (text inside `{{ }}`) or template that failed. */
  readonly expression: string;
  /** Index into the template string, when known. */
  readonly offset?: number;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(
    detail: string,
    init: {
      kind: ExpressionErrorKind;
      expression: string;
      offset?: number;
      location?: ExpressionLocation;
      cause?: unknown;
    },
  ) {
    super(formatLocation(init.location) + detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.detail = detail;
    this.expression = init.expression;
    if (init.offset !== undefined) this.offset = init.offset;
    if (init.location) this.location = init.location;
  }
}

/**
 * Internal failure raised while lexing, parsing or evaluating; turned into an ExpressionError
 * (with location and expression text) at the public API boundary, where that context is known.
 */
export class Failure extends Error {
  constructor(
    readonly kind: ExpressionErrorKind,
    message: string,
    public offset?: number,
    /** The `{{ }}` block text, filled in by the template renderer. */
    public expression?: string,
  ) {
    super(message);
  }
}

export function fail(kind: ExpressionErrorKind, message: string, offset?: number): never {
  throw new Failure(kind, message, offset);
}

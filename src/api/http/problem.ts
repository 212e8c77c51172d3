/**
 * An RFC 9457 problem. Routes throw it; the app's one error handler renders it
 * as application/problem+json. `type` is one of the fixed slugs of docs/api.md.
 * An answer, not a fault, so it captures no stack trace (see DomainError); an unexpected error keeps its own.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail ?? title);
    Error.stackTraceLimit = limit;
    this.name = 'ProblemError';
  }
}

export const problem = (
  status: number,
  type: string,
  title: string,
  detail?: string,
  extra?: Readonly<Record<string, unknown>>,
): ProblemError => new ProblemError(status, type, title, detail, extra);

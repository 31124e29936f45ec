import { initTRPC, type TRPCError } from '@trpc/server';
import { AppError, describeFieldErrors, PROBLEMS, problemOf, type FieldError, type ProblemCode } from '../errors.ts';
import type { RequestContext } from './context.ts';
import type { ProcedureMeta } from './meta.ts';

/** The `data` of every error, on both doors. */
export interface ErrorData {
  /** tRPC's code, e.g. `NOT_FOUND`. */
  code: string;
  httpStatus: number;
  path?: string;
  /** Our stable machine code, e.g. `email_taken`. */
  reason: ProblemCode;
  /** For validation errors: which fields are wrong and why. */
  fields?: FieldError[];
  /** What the client needs to act on the error, e.g. `{ current_estimate_version: 7 }` (`AppError.details`). */
  details?: Record<string, unknown>;
  /** The request id, to quote when reporting a 5xx. */
  requestId?: string;
}

export const t = initTRPC
  .context<RequestContext>()
  .meta<ProcedureMeta>()
  .create({
    // Never put stack traces in responses, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const reason = problemOf(error);
      const fields = error instanceof AppError ? error.fields : validationFields(error);
      const hidden = PROBLEMS[reason].status >= 500 && !(error instanceof AppError);
      const data: ErrorData = {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        reason,
        ...(fields ? { fields } : {}),
        ...(error instanceof AppError && error.details ? { details: error.details } : {}),
        ...(ctx ? { requestId: ctx.request.requestId } : {}),
      };
      return {
        code: shape.code,
        message: hidden ? PROBLEMS.internal_error.title : fields ? describeFieldErrors(fields) : error.message,
        data,
      };
    },
  });

interface IssueLike {
  code?: string;
  path?: PropertyKey[];
  message: string;
  keys?: string[];
}

/** The bad fields of an input validation error (a ZodError behind tRPC's BAD_REQUEST). */
function validationFields(error: TRPCError): FieldError[] | undefined {
  const issues = (error.cause as { issues?: IssueLike[] } | undefined)?.issues;
  if (error.code !== 'BAD_REQUEST' || !Array.isArray(issues)) return undefined;
  return issues.flatMap((issue) => {
    const at = (issue.path ?? []).map(String);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'Unknown field' }));
    }
    return [{ field: at.join('.') || '(body)', message: issue.message }];
  });
}

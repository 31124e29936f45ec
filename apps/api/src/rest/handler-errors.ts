import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { describeFieldErrors, type ErrorData, type ProblemCode } from '@mechanic-shop/core';
import { problem, problemCodeForStatus, problemType, type ProblemBody } from '../http/problem.ts';

/** A call's error as tRPC shapes it (through our error formatter). */
export interface HandlerErrorBody {
  message?: string;
  /** tRPC's error code: its name (`PARSE_ERROR`, as the REST door gives it), or its JSON-RPC number (tRPC's own shape). */
  code?: TRPC_ERROR_CODE_KEY | number;
  data?: Partial<ErrorData>;
}

/**
 * Turns a call's error into problem details. Our error formatter put the
 * problem code and the bad fields in `data`; errors raised before a context
 * existed still carry tRPC's code.
 */
export function toProblem(status: number, error: HandlerErrorBody, requestId: string): ProblemBody {
  const code: ProblemCode =
    error.data?.reason ?? (status === 400 && error.code === 'PARSE_ERROR' ? 'malformed_json' : problemCodeForStatus(status));
  // trpc-to-openapi words every validation error "Input validation failed": name the fields instead.
  const fields = error.data?.fields;
  const detail = fields ? describeFieldErrors(fields) : status >= 500 && !error.data?.reason ? undefined : error.message;
  const body = problem(code, detail, {
    ...(error.data?.fields ? { errors: error.data.fields } : {}),
    request_id: error.data?.requestId ?? requestId,
  });
  // The error's details are extension members of the problem (RFC 9457 §3.2), never in place of the standard ones.
  // Our own problems keep their status: tRPC has no 410, which its handler answers as a 404.
  return { ...error.data?.details, ...body, status: error.data?.reason ? body.status : status, type: problemType(code) };
}

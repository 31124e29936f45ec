import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/**
 * Every error the API reports, by its stable machine code. The code is what
 * clients switch on (REST: `code` in the problem+json body; tRPC:
 * `error.data.reason`); the title is a short human summary; the status is the
 * HTTP status on the REST door.
 */
export const PROBLEMS = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  malformed_request: { status: 400, title: 'The request is not valid HTTP' },
  invalid_vin: { status: 400, title: 'That is not a valid VIN' },
  unauthenticated: { status: 401, title: 'A valid bearer token is required' },
  invalid_credentials: { status: 401, title: 'Email or password is wrong' },
  forbidden: { status: 403, title: 'This token may not do that' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed on this path' },
  request_timeout: { status: 408, title: 'The request took too long to arrive' },
  email_taken: { status: 409, title: 'That email is already registered' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  last_mechanic: { status: 409, title: "The shop's last mechanic account cannot be deleted" },
  last_owner: { status: 409, title: "The shop's last owner cannot be demoted or deleted" },
  assignment_exists: { status: 409, title: 'That mechanic is already assigned to that ticket' },
  insufficient_stock: { status: 409, title: 'Not enough of that part in stock' },
  inventory_in_use: { status: 409, title: 'That part is on service tickets' },
  invalid_status_transition: { status: 409, title: 'A ticket cannot move to that status from its current one' },
  transaction_conflict: { status: 409, title: 'The request collided with concurrent changes; retry it' },
  quantity_too_large: { status: 409, title: 'That would take a quantity past its limit' },
  amount_too_large: { status: 409, title: "That would take the ticket's total past its limit" },
  vin_taken: { status: 409, title: 'That VIN belongs to another vehicle' },
  vehicle_has_tickets: { status: 409, title: 'That vehicle has service tickets' },
  odometer_rollback: { status: 409, title: 'An odometer reading cannot go below the latest one without a correction reason' },
  vehicle_owner_mismatch: { status: 409, title: 'That vehicle belongs to another customer' },
  estimate_changed: { status: 409, title: 'The estimate changed since that version; review the current one' },
  no_approved_work: { status: 409, title: 'The ticket has no approved job to work on' },
  ticket_cancelled: { status: 409, title: 'The ticket is cancelled: it takes no approvals' },
  link_expired: { status: 410, title: 'That approval link has expired or was replaced' },
  job_not_declined: { status: 409, title: 'Only a declined job can be revived' },
  already_revived: { status: 409, title: 'That declined job was already revived' },
  ticket_not_open: { status: 409, title: 'Work goes only on a PENDING or IN_PROGRESS ticket' },
  vehicle_mismatch: { status: 409, title: 'That ticket is for another vehicle' },
  ticket_not_completed: { status: 409, title: 'Only a completed ticket can be invoiced' },
  pending_work: { status: 409, title: 'The ticket has jobs still awaiting the customer’s decision' },
  already_invoiced: { status: 409, title: 'That ticket already has a live invoice' },
  ticket_invoiced: { status: 409, title: 'The ticket is invoiced: its jobs and lines are frozen until the invoice is voided' },
  ticket_has_invoices: { status: 409, title: 'That ticket has invoices; it stays as their record' },
  invoice_void: { status: 409, title: 'That invoice is void' },
  invoice_has_payments: { status: 409, title: 'That invoice has payments; refund them before voiding it' },
  overpayment: { status: 409, title: 'The payment is more than the balance' },
  webhook_url_refused: { status: 400, title: 'That webhook URL is not allowed' },
  webhook_disabled: { status: 409, title: 'That webhook is disabled; enable it first' },
  refund_too_large: { status: 409, title: 'The refund is more than what is left of the payment' },
  idempotency_key_required: { status: 400, title: 'This request needs an Idempotency-Key header' },
  idempotency_key_reused: { status: 422, title: 'That Idempotency-Key was used with a different request' },
  idempotency_key_in_flight: { status: 409, title: 'A request with that Idempotency-Key is still being processed' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  headers_too_large: { status: 431, title: 'The request line or headers are too large' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

const TRPC_CODE_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  // tRPC has no 410: an expired link reads as gone, the closest it has.
  410: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export interface FieldError {
  /** Dotted path of the field in the input, e.g. `add_ids.2`. */
  field: string;
  message: string;
}

/** The message of a validation error: every bad field and what is wrong with it. */
export function describeFieldErrors(fields: FieldError[]): string {
  return `Invalid input: ${fields.map(({ field, message }) => `${field}: ${message}`).join('; ')}`;
}

/**
 * The one exception type of the API. Domain code throws it with a problem code;
 * both doors render it from there (status, title, code). It is a TRPCError so
 * that tRPC keeps its status when it crosses procedure boundaries.
 */
export class AppError extends TRPCError {
  readonly problem: ProblemCode;
  readonly fields: FieldError[] | undefined;
  /** Members a client acts on, beside the code (e.g. `current_estimate_version`): REST adds them to the problem body, tRPC to `error.data.details`. */
  readonly details: Record<string, unknown> | undefined;
  readonly status: number;

  constructor(
    problem: ProblemCode,
    message?: string,
    options: { fields?: FieldError[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    const { status, title } = PROBLEMS[problem];
    super({ code: TRPC_CODE_BY_STATUS[status] ?? 'INTERNAL_SERVER_ERROR', message: message ?? title, cause: options.cause });
    // `name` stays "TRPCError": trpc-to-openapi recognises tRPC errors by it.
    this.problem = problem;
    this.status = status;
    this.fields = options.fields;
    this.details = options.details;
  }
}

/** The problem code for any error tRPC hands us (ours, a validation error, or tRPC's own). */
export function problemOf(error: TRPCError): ProblemCode {
  if (error instanceof AppError) return error.problem;
  switch (error.code) {
    case 'BAD_REQUEST':
      return 'validation_failed';
    case 'PARSE_ERROR':
      return 'malformed_json';
    case 'UNAUTHORIZED':
      return 'unauthenticated';
    case 'FORBIDDEN':
      return 'forbidden';
    case 'NOT_FOUND':
      return 'not_found';
    case 'METHOD_NOT_SUPPORTED':
      return 'method_not_allowed';
    case 'CONFLICT':
      return 'conflict';
    case 'PAYLOAD_TOO_LARGE':
      return 'payload_too_large';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'TOO_MANY_REQUESTS':
      return 'rate_limited';
    case 'SERVICE_UNAVAILABLE':
      return 'service_unavailable';
    default:
      return 'internal_error';
  }
}

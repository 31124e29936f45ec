import type { ProblemCode } from '@mechanic-shop/sdk';
import { DownloadError, isMechanicShopError } from '../api.ts';

/**
 * The API's titles speak to programmers where these speak to the people at the
 * counter; every other problem's message (its title, or a more precise detail)
 * is already plain words.
 */
const PLAIN_WORDS: Partial<Record<ProblemCode, string>> = {
  unauthenticated: 'Your session has ended. Sign in again.',
  forbidden: 'Your account may not do that.',
  validation_failed: 'Some fields need attention: see the messages next to them.',
  rate_limited: 'Too many requests at once. Wait a moment, then try again.',
  transaction_conflict: 'Someone changed this at the same moment. Try again.',
  service_unavailable: 'The shop’s server is starting or cannot reach its database. Try again in a moment.',
  internal_error: 'Something went wrong on the server.',
  headers_too_large: 'That is too much to send at once.',
  payload_too_large: 'That is too much to send at once.',
};

/** What went wrong, for a person: the problem's plain words, or why the server could not be reached. */
export function describeError(error: unknown): string {
  if (isMechanicShopError(error)) {
    const reason = error.data?.reason;
    const words = (reason && PLAIN_WORDS[reason]) ?? error.message;
    return error.data?.requestId && error.data.httpStatus >= 500 ? `${words} (request ${error.data.requestId})` : words;
  }
  if (error instanceof DownloadError) return error.message;
  return 'The shop’s server could not be reached. Check the connection, then try again.';
}

/** The problem code of an API error (`estimate_changed`, `link_expired`…), to branch on. */
export function problemCodeOf(error: unknown): ProblemCode | undefined {
  if (isMechanicShopError(error)) return error.data?.reason;
  return undefined;
}

export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div role="alert" className="my-3 rounded border border-red-700 bg-red-50 p-3 text-red-900">
      {title && <p className="font-semibold">{title}</p>}
      <p>{describeError(error)}</p>
    </div>
  );
}

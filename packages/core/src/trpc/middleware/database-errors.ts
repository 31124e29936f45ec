import { translateDatabaseError } from '../../db/errors.ts';
import { AppError } from '../../errors.ts';
import type { Step } from '../stack.ts';

/** Database failures a handler did not deal with become 503/409/404 instead of 500. */
export const translateDatabaseErrors: Step = async (_call, next) => {
  const result = await next();
  if (!result.ok) {
    const translated = translateDatabaseError(result.error.cause ?? result.error);
    if (translated instanceof AppError && translated !== result.error) throw translated;
  }
  return result;
};

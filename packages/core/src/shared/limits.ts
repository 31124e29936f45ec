/**
 * Input limits. String lengths equal the column sizes in prisma/models.prisma
 * (shared/limits.test.ts keeps them in step), so a valid request always fits.
 */
export const MAX_LENGTH = {
  personName: 100,
  email: 254,
  phone: 32,
  address: 255,
  ticketTitle: 120,
  description: 2000,
  partName: 120,
} as const;

/** bcrypt reads at most 72 bytes; longer passwords are refused, not silently cut. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_BYTES = 72;

/** The largest id a client may send: ids are 32-bit signed integers in every database. */
export const MAX_ID = 2_147_483_647;

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;
/** Pages past this would only ever be empty: 100 items × 10⁶ pages exceeds any shop. */
export const PAGE_MAX = 1_000_000;

/** Money amounts in cents are stored in 32-bit integer columns: at most 21,474,836.47. */
export const MAX_CENTS = MAX_ID;
/** Units of one part in stock or on one ticket line. */
export const MAX_QUANTITY = 1_000_000;

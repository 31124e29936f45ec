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
  plate: 16,
  vehicleText: 50,
  color: 30,
  correctionReason: 255,
  /** Why the customer declined a job. */
  declineReason: 500,
  /** Why an invoice was voided, why money was refunded. */
  ledgerReason: 500,
  /** A payment processor's id for a payment. */
  paymentReference: 100,
  invoicePrefix: 12,
  webhookUrl: 2048,
  webhookDescription: 500,
} as const;

/** The oldest model year a vehicle may have (the first motor cars), and the highest odometer reading. */
export const MIN_VEHICLE_YEAR = 1886;
export const MAX_ODOMETER = 10_000_000;

/** bcrypt reads at most 72 bytes; longer passwords are refused, not silently cut. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_BYTES = 72;

/** The largest id a client may send: ids are 32-bit signed integers in every database. */
export const MAX_ID = 2_147_483_647;

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;
/** Pages past this would only ever be empty: 100 items × 10⁶ pages exceeds any shop. */
export const PAGE_MAX = 1_000_000;

/**
 * Numbers are bounded so that every accepted request fits the 32-bit integer
 * columns (at most 2,147,483,647) and every sum the API computes stays an exact
 * JavaScript number (below 2^53): a write that would go past a bound is a 400
 * (the field itself) or a 409 (`quantity_too_large`, `amount_too_large`: a sum
 * with what is already stored), never a database overflow.
 */

/** One amount of money (a price, a ticket's labour cost, a salary): at most 1,000,000.00. */
export const MAX_AMOUNT_CENTS = 100_000_000;
/** Units of one part in stock, or on one ticket line (adding to a line adds up to this). */
export const MAX_QUANTITY = 1_000_000;
/**
 * A ticket's total (labour plus part lines): at most 1,000,000,000.00. One line
 * can reach 10^14 cents (price × quantity); the cap keeps totals far below 2^53.
 */
export const MAX_TICKET_TOTAL_CENTS = 100_000_000_000;

/**
 * Calendar dates (YYYY-MM-DD) the API accepts, the same on every database:
 * MariaDB rewrote years 0000–0099 (0069 became 1969) and PostgreSQL refused
 * year 0000 with a 500.
 */
export const DATE_RANGE = { min: '1900-01-01', max: '2200-12-31' } as const;

import { MAX_PERCENT_THOUSANDTHS } from '../shared/percent.ts';

/**
 * The money engine: prices a repair order's jobs and lines into totals that
 * always add up, to the cent. It is pure (no database) and exact: amounts are
 * integer cents, percentages integer thousandths of a percent, products are
 * taken in BigInt, and each rule below rounds half-up exactly once.
 *
 * 1. A line's amount: labor = hours × rate (`laborAmountCents`), part =
 *    quantity × unit price, fee and sublet = the amount (the caller computes it).
 * 2. A line's discount: a percentage of the amount, rounded; or a fixed amount,
 *    at most the line's amount. Its net = amount − discount.
 * 3. Shop supplies = the sum of labor nets × `percentOfLabor`, rounded, and at
 *    most the cap (a cap of 0 means no cap). When taxable, it is taxed at the
 *    fees rate.
 * 4. Tax per category = (the category's taxable nets, plus shop supplies for
 *    fees when taxable) × the category's rate, rounded once per category, never
 *    per line.
 * 5. `subtotal` = line nets + shop supplies + the flat cost (everything before
 *    tax); `total` = subtotal + tax.
 * 6. Each job shows its own nets and discounts, a share of the shop supplies in
 *    proportion to its labor nets, and a share of each category's tax in
 *    proportion to its taxable base (its shop-supplies share counting towards
 *    fees when taxable), both by the largest-remainder method, so the jobs'
 *    figures sum exactly to the ticket's. The flat cost belongs to no job, so
 *    the jobs' totals sum to the ticket's total minus the flat cost. Ties in the
 *    largest-remainder method go to the smaller job id, so nothing depends on
 *    the order of jobs or lines.
 */

export const CATEGORIES = ['labor', 'parts', 'fees', 'sublet'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * The largest estimate the engine prices: the sum of all line amounts plus the
 * flat cost, at most 10^15 cents (10,000,000,000,000.00). Shop supplies are at
 * most the labor nets and tax at most 100% of its base (nets plus supplies), so
 * every figure stays at most 4 × 10^15 < 2^53: an exact JavaScript number.
 * Products (amount × rate) are taken in BigInt, so they never round either.
 */
export const MAX_ESTIMATE_CENTS = 1_000_000_000_000_000;

export type LineDiscount = { percentThousandths: number } | { amountCents: number };

export interface EngineLine {
  category: Category;
  /** labor: `laborAmountCents(hours, rate)`; parts: quantity × unit price; fees and sublet: the amount. */
  amountCents: number;
  taxable: boolean;
  discount: LineDiscount | null;
}

export interface EngineJob {
  id: number;
  lines: EngineLine[];
}

export interface EngineSettings {
  /** Thousandths of a percent, 0..100000 (8.875% = 8875). */
  taxRates: Record<Category, number>;
  shopSupplies: { percentOfLaborThousandths: number; capCents: number; taxable: boolean };
}

/** All integer cents. Category figures are line nets (after discounts). */
export interface Totals {
  labor: number;
  parts: number;
  fees: number;
  sublet: number;
  discounts: number;
  shop_supplies: number;
  tax: Record<Category, number> & { total: number };
  subtotal: number;
  total: number;
}

export interface PricedLine {
  amountCents: number;
  discountCents: number;
  netCents: number;
}

export interface PricedJob {
  id: number;
  /** In the order of the job's lines. */
  lines: PricedLine[];
  totals: Totals;
}

export interface EstimateTotals {
  /** In the order of the jobs given. */
  jobs: PricedJob[];
  totals: Totals;
}

const HUNDRED_PERCENT = BigInt(MAX_PERCENT_THOUSANDTHS);

/** numerator / denominator rounded half-up, for non-negative numbers. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

function percentOf(cents: bigint, thousandths: number): bigint {
  return divideHalfUp(cents * BigInt(thousandths), HUNDRED_PERCENT);
}

function check(value: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max)
    throw new RangeError(`${what} must be an integer from 0 to ${max}, got ${value}`);
}

/** hours × rate rounded half-up to the cent: 1.25 h × 99.99 = 124.9875 → 124.99. */
export function laborAmountCents(hundredthsOfHours: number, rateCents: number): number {
  check(hundredthsOfHours, Number.MAX_SAFE_INTEGER, 'hours (hundredths)');
  check(rateCents, Number.MAX_SAFE_INTEGER, 'rate (cents)');
  const cents = divideHalfUp(BigInt(hundredthsOfHours) * BigInt(rateCents), 100n);
  if (cents > BigInt(MAX_ESTIMATE_CENTS)) throw new RangeError(`a labor line over ${MAX_ESTIMATE_CENTS} cents`);
  return Number(cents);
}

function priceLine(line: EngineLine): { category: Category; taxable: boolean; amount: bigint; discount: bigint } {
  check(line.amountCents, MAX_ESTIMATE_CENTS, 'a line amount (cents)');
  const amount = BigInt(line.amountCents);
  let discount = 0n;
  if (line.discount && 'percentThousandths' in line.discount) {
    check(line.discount.percentThousandths, MAX_PERCENT_THOUSANDTHS, 'a discount (thousandths of a percent)');
    discount = percentOf(amount, line.discount.percentThousandths);
  } else if (line.discount) {
    check(line.discount.amountCents, Number.MAX_SAFE_INTEGER, 'a discount (cents)');
    const fixed = BigInt(line.discount.amountCents);
    discount = fixed < amount ? fixed : amount;
  }
  return { category: line.category, taxable: line.taxable, amount, discount };
}

/**
 * Splits `total` in proportion to `weights` by the largest-remainder method:
 * each gets the floor of its exact share, and the cents left over go one each
 * to the largest remainders (ties to the smaller id). The shares sum to `total`.
 */
function allocate(total: bigint, weights: { id: number; weight: bigint }[]): bigint[] {
  const sum = weights.reduce((acc, { weight }) => acc + weight, 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const shares = weights.map(({ weight }) => (total * weight) / sum);
  let left = total - shares.reduce((acc, share) => acc + share, 0n);
  const byRemainder = weights
    .map(({ id, weight }, index) => ({ id, index, remainder: (total * weight) % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.id - b.id : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left === 0n) break;
    shares[index]! += 1n;
    left -= 1n;
  }
  return shares;
}

type Sums = Record<Category, bigint>;
const zeroSums = (): Sums => ({ labor: 0n, parts: 0n, fees: 0n, sublet: 0n });

function totalsOf(nets: Sums, discounts: bigint, shopSupplies: bigint, tax: Sums, flatCost: bigint): Totals {
  const taxTotal = CATEGORIES.reduce((acc, category) => acc + tax[category], 0n);
  const subtotal = CATEGORIES.reduce((acc, category) => acc + nets[category], 0n) + shopSupplies + flatCost;
  return {
    labor: Number(nets.labor),
    parts: Number(nets.parts),
    fees: Number(nets.fees),
    sublet: Number(nets.sublet),
    discounts: Number(discounts),
    shop_supplies: Number(shopSupplies),
    tax: {
      labor: Number(tax.labor),
      parts: Number(tax.parts),
      fees: Number(tax.fees),
      sublet: Number(tax.sublet),
      total: Number(taxTotal),
    },
    subtotal: Number(subtotal),
    total: Number(subtotal + taxTotal),
  };
}

/** Prices an estimate by rules 1–6 above; throws a RangeError on inputs outside the documented bounds. */
export function priceEstimate(jobs: EngineJob[], settings: EngineSettings, flatCostCents: number): EstimateTotals {
  for (const category of CATEGORIES)
    check(settings.taxRates[category], MAX_PERCENT_THOUSANDTHS, `the ${category} tax rate (thousandths of a percent)`);
  const supplies = settings.shopSupplies;
  check(supplies.percentOfLaborThousandths, MAX_PERCENT_THOUSANDTHS, 'shop supplies (thousandths of a percent)');
  check(supplies.capCents, MAX_ESTIMATE_CENTS, 'the shop supplies cap (cents)');
  check(flatCostCents, MAX_ESTIMATE_CENTS, 'the flat cost (cents)');

  const priced = jobs.map((job) => {
    const lines = job.lines.map(priceLine);
    const nets = zeroSums();
    const taxableNets = zeroSums();
    let discounts = 0n;
    for (const line of lines) {
      const net = line.amount - line.discount;
      nets[line.category] += net;
      if (line.taxable) taxableNets[line.category] += net;
      discounts += line.discount;
    }
    return { id: job.id, lines, nets, taxableNets, discounts };
  });

  const gross = priced.reduce((acc, job) => acc + job.lines.reduce((sum, line) => sum + line.amount, 0n), 0n);
  if (gross + BigInt(flatCostCents) > BigInt(MAX_ESTIMATE_CENTS)) throw new RangeError(`an estimate over ${MAX_ESTIMATE_CENTS} cents`);

  const nets = zeroSums();
  const taxableBase = zeroSums();
  let discounts = 0n;
  for (const job of priced) {
    for (const category of CATEGORIES) {
      nets[category] += job.nets[category];
      taxableBase[category] += job.taxableNets[category];
    }
    discounts += job.discounts;
  }

  const uncapped = percentOf(nets.labor, supplies.percentOfLaborThousandths);
  const cap = BigInt(supplies.capCents);
  const shopSupplies = cap > 0n && cap < uncapped ? cap : uncapped;
  const suppliesShares = allocate(
    shopSupplies,
    priced.map((job) => ({ id: job.id, weight: job.nets.labor })),
  );
  if (supplies.taxable) {
    taxableBase.fees += shopSupplies;
    priced.forEach((job, index) => (job.taxableNets.fees += suppliesShares[index]!));
  }

  const tax = zeroSums();
  const jobTax = priced.map(zeroSums);
  for (const category of CATEGORIES) {
    tax[category] = percentOf(taxableBase[category], settings.taxRates[category]);
    const shares = allocate(
      tax[category],
      priced.map((job) => ({ id: job.id, weight: job.taxableNets[category] })),
    );
    shares.forEach((share, index) => (jobTax[index]![category] = share));
  }

  return {
    jobs: priced.map((job, index) => ({
      id: job.id,
      lines: job.lines.map(({ amount, discount }) => ({
        amountCents: Number(amount),
        discountCents: Number(discount),
        netCents: Number(amount - discount),
      })),
      totals: totalsOf(job.nets, job.discounts, suppliesShares[index]!, jobTax[index]!, 0n),
    })),
    totals: totalsOf(nets, discounts, shopSupplies, tax, BigInt(flatCostCents)),
  };
}

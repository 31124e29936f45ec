import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  laborAmountCents,
  MAX_ESTIMATE_CENTS,
  priceEstimate,
  type EngineJob,
  type EngineLine,
  type EngineSettings,
  type EstimateTotals,
  type Totals,
} from './money-engine.ts';

const NO_TAX: EngineSettings = {
  taxRates: { labor: 0, parts: 0, fees: 0, sublet: 0 },
  shopSupplies: { percentOfLaborThousandths: 0, capCents: 0, taxable: false },
};
const line = (category: EngineLine['category'], amountCents: number, extra: Partial<EngineLine> = {}): EngineLine => ({
  category,
  amountCents,
  taxable: true,
  discount: null,
  ...extra,
});

describe('the worked example of the README ("Money: how an estimate is priced")', () => {
  const settings: EngineSettings = {
    taxRates: { labor: 0, parts: 8875, fees: 8875, sublet: 0 },
    shopSupplies: { percentOfLaborThousandths: 10_000, capCents: 2500, taxable: true },
  };
  const jobs: EngineJob[] = [
    {
      id: 1,
      lines: [line('labor', laborAmountCents(125, 9999), { discount: { percentThousandths: 10_000 } }), line('parts', 2 * 4550)],
    },
    { id: 2, lines: [line('labor', laborAmountCents(150, 12000)), line('fees', 750), line('sublet', 8900)] },
  ];

  it('prices the ticket, each job, and each line', () => {
    const estimate = priceEstimate(jobs, settings, 1500);
    expect(estimate.jobs[0]!.lines[0]).toEqual({ amountCents: 12499, discountCents: 1250, netCents: 11249 });
    expect(estimate.totals).toEqual({
      labor: 29249,
      parts: 9100,
      fees: 750,
      sublet: 8900,
      discounts: 1250,
      shop_supplies: 2500,
      tax: { labor: 0, parts: 808, fees: 288, sublet: 0, total: 1096 },
      subtotal: 51999,
      total: 53095,
    });
    expect(estimate.jobs.map((job) => job.totals)).toEqual([
      {
        labor: 11249,
        parts: 9100,
        fees: 0,
        sublet: 0,
        discounts: 1250,
        shop_supplies: 961,
        tax: { labor: 0, parts: 808, fees: 85, sublet: 0, total: 893 },
        subtotal: 21310,
        total: 22203,
      },
      {
        labor: 18000,
        parts: 0,
        fees: 750,
        sublet: 8900,
        discounts: 0,
        shop_supplies: 1539,
        tax: { labor: 0, parts: 0, fees: 203, sublet: 0, total: 203 },
        subtotal: 29189,
        total: 29392,
      },
    ]);
  });
});

describe('worked examples', () => {
  const totalsOf = (lines: EngineLine[], settings: Partial<EngineSettings> = {}, flatCost = 0) =>
    priceEstimate([{ id: 1, lines }], { ...NO_TAX, ...settings }, flatCost).totals;
  const taxed = (rates: Partial<EngineSettings['taxRates']>): EngineSettings => ({ ...NO_TAX, taxRates: { ...NO_TAX.taxRates, ...rates } });

  it.each([
    { hours: 125, rate: 9999, cents: 12499 }, // 124.9875
    { hours: 150, rate: 12000, cents: 18000 },
    { hours: 1, rate: 50, cents: 1 }, // 0.5 cents rounds half-up
    { hours: 1, rate: 49, cents: 0 },
    { hours: 33, rate: 3333, cents: 1100 }, // 10.9989
  ])('labor: $hours hundredths of an hour × $rate cents is $cents cents', ({ hours, rate, cents }) => {
    expect(laborAmountCents(hours, rate)).toBe(cents);
  });

  it('a 10% discount on 1.25 h × 99.99 is 12.50 (12.499 rounded half-up), leaving 112.49', () => {
    const [priced] = priceEstimate(
      [{ id: 1, lines: [line('labor', laborAmountCents(125, 9999), { discount: { percentThousandths: 10_000 } })] }],
      NO_TAX,
      0,
    ).jobs[0]!.lines;
    expect(priced).toEqual({ amountCents: 12499, discountCents: 1250, netCents: 11249 });
  });

  it('8.875% tax on 100.00 of parts is 8.88 (8.875 rounded half-up)', () => {
    expect(totalsOf([line('parts', 10_000)], taxed({ parts: 8875 })).tax).toEqual({
      labor: 0,
      parts: 888,
      fees: 0,
      sublet: 0,
      total: 888,
    });
  });

  it('tax is rounded once per category, never per line', () => {
    // Three lines of 0.10 at 5%: 0.005 each would round to 0.01 each (0.03); the category's 0.015 rounds to 0.02.
    const lines = [line('parts', 10), line('parts', 10), line('parts', 10)];
    expect(totalsOf(lines, taxed({ parts: 5000 })).tax.parts).toBe(2);
  });

  it('a non-taxable line is left out of its category’s tax base', () => {
    const totals = totalsOf([line('fees', 10_000), line('fees', 5000, { taxable: false })], taxed({ fees: 10_000 }));
    expect(totals).toMatchObject({ fees: 15_000, tax: { fees: 1000, total: 1000 }, total: 16_000 });
  });

  it('a fixed discount is at most the line’s amount', () => {
    const totals = totalsOf([
      line('fees', 500, { discount: { amountCents: 900 } }),
      line('sublet', 2000, { discount: { amountCents: 150 } }),
    ]);
    expect(totals).toMatchObject({ fees: 0, sublet: 1850, discounts: 650, total: 1850 });
  });

  it('shop supplies are a percentage of the labor nets, at most the cap; a cap of 0 means no cap', () => {
    const labor = [line('labor', 50_000, { discount: { amountCents: 1000 } }), line('parts', 90_000)];
    const supplies = (capCents: number) => ({ shopSupplies: { percentOfLaborThousandths: 10_000, capCents, taxable: false } });
    expect(totalsOf(labor, supplies(2500))).toMatchObject({ shop_supplies: 2500, total: 141_500 });
    expect(totalsOf(labor, supplies(0))).toMatchObject({ shop_supplies: 4900, total: 143_900 });
    expect(totalsOf(labor, supplies(10_000))).toMatchObject({ shop_supplies: 4900 });
  });

  it('taxable shop supplies are taxed at the fees rate', () => {
    const settings = { ...taxed({ fees: 8875 }), shopSupplies: { percentOfLaborThousandths: 5000, capCents: 0, taxable: true } };
    // 5% of 200.00 = 10.00 of supplies, plus a 20.00 fee: 30.00 × 8.875% = 2.6625 → 2.66.
    expect(totalsOf([line('labor', 20_000), line('fees', 2000)], settings)).toMatchObject({
      shop_supplies: 1000,
      tax: { fees: 266, total: 266 },
      subtotal: 23_000,
      total: 23_266,
    });
  });

  it('the flat cost is an untaxed charge in the subtotal and total, and belongs to no job', () => {
    const estimate = priceEstimate([{ id: 1, lines: [line('parts', 1000)] }], taxed({ parts: 10_000 }), 2500);
    expect(estimate.totals).toMatchObject({ parts: 1000, tax: { total: 100 }, subtotal: 3500, total: 3600 });
    expect(estimate.jobs[0]!.totals).toMatchObject({ subtotal: 1000, total: 1100 });
  });

  it('a ticket without jobs costs its flat cost', () => {
    expect(priceEstimate([], NO_TAX, 700).totals).toMatchObject({ subtotal: 700, total: 700, tax: { total: 0 } });
  });

  it('tax shares go by largest remainder, a tie to the smaller job id', () => {
    // 0.01 of tax over three equal bases: 1/3 each, all remainders tie, so job 2 (the smallest id) gets the cent.
    const jobs = [5, 2, 9].map((id) => ({ id, lines: [line('parts', 10)] }));
    const estimate = priceEstimate(jobs, taxed({ parts: 3334 }), 0);
    expect(estimate.totals.tax.parts).toBe(1);
    expect(estimate.jobs.map((job) => [job.id, job.totals.tax.parts])).toEqual([
      [5, 0],
      [2, 1],
      [9, 0],
    ]);
  });

  it('refuses inputs outside the documented bounds instead of losing a cent', () => {
    expect(() => priceEstimate([{ id: 1, lines: [line('parts', MAX_ESTIMATE_CENTS)] }], NO_TAX, 1)).toThrow(RangeError);
    expect(() => priceEstimate([{ id: 1, lines: [line('parts', 1.5)] }], NO_TAX, 0)).toThrow(RangeError);
    expect(() => priceEstimate([], taxed({ fees: 100_001 }), 0)).toThrow(RangeError);
    expect(() => laborAmountCents(1e15, 1e8)).toThrow(RangeError);
  });
});

// ---- Property-based tests ----

const R = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });
const percentOf = (cents: Decimal, thousandths: number) => cents.times(thousandths).div(100_000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);

/** The rules of the README computed over again with decimal.js, ticket level. */
function reference(jobs: EngineJob[], settings: EngineSettings, flatCost: number): Totals {
  const nets = { labor: new R(0), parts: new R(0), fees: new R(0), sublet: new R(0) };
  const base = { labor: new R(0), parts: new R(0), fees: new R(0), sublet: new R(0) };
  let discounts = new R(0);
  for (const { category, amountCents, taxable, discount } of jobs.flatMap((job) => job.lines)) {
    const amount = new R(amountCents);
    const off = !discount
      ? new R(0)
      : 'percentThousandths' in discount
        ? percentOf(amount, discount.percentThousandths)
        : R.min(amount, discount.amountCents);
    nets[category] = nets[category].plus(amount.minus(off));
    if (taxable) base[category] = base[category].plus(amount.minus(off));
    discounts = discounts.plus(off);
  }
  const { percentOfLaborThousandths, capCents, taxable } = settings.shopSupplies;
  const uncapped = percentOf(nets.labor, percentOfLaborThousandths);
  const supplies = capCents > 0 ? R.min(uncapped, capCents) : uncapped;
  if (taxable) base.fees = base.fees.plus(supplies);
  const tax = Object.fromEntries(CATEGORIES.map((c) => [c, percentOf(base[c], settings.taxRates[c])])) as Record<
    (typeof CATEGORIES)[number],
    Decimal
  >;
  const taxTotal = R.sum(...CATEGORIES.map((c) => tax[c]));
  const subtotal = R.sum(...CATEGORIES.map((c) => nets[c]))
    .plus(supplies)
    .plus(flatCost);
  return {
    labor: nets.labor.toNumber(),
    parts: nets.parts.toNumber(),
    fees: nets.fees.toNumber(),
    sublet: nets.sublet.toNumber(),
    discounts: discounts.toNumber(),
    shop_supplies: supplies.toNumber(),
    tax: {
      labor: tax.labor.toNumber(),
      parts: tax.parts.toNumber(),
      fees: tax.fees.toNumber(),
      sublet: tax.sublet.toNumber(),
      total: taxTotal.toNumber(),
    },
    subtotal: subtotal.toNumber(),
    total: subtotal.plus(taxTotal).toNumber(),
  };
}

const percent = fc.oneof(fc.constantFrom(0, 8875, 10_000, 100_000), fc.integer({ min: 0, max: 100_000 }));
const settingsArb: fc.Arbitrary<EngineSettings> = fc.record({
  taxRates: fc.record({ labor: percent, parts: percent, fees: percent, sublet: percent }),
  shopSupplies: fc.record({
    percentOfLaborThousandths: percent,
    capCents: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000_000 })),
    taxable: fc.boolean(),
  }),
});
const lineArb = (maxAmount: number): fc.Arbitrary<EngineLine> =>
  fc.record({
    category: fc.constantFrom(...CATEGORIES),
    amountCents: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: maxAmount })),
    taxable: fc.boolean(),
    discount: fc.oneof(
      fc.constant(null),
      fc.record({ percentThousandths: percent }),
      fc.record({ amountCents: fc.integer({ min: 0, max: maxAmount }) }),
    ),
  });
const jobsArb = (maxAmount: number, maxLines: number): fc.Arbitrary<EngineJob[]> =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 5 })
    .chain((ids) => fc.tuple(...ids.map((id) => fc.array(lineArb(maxAmount), { maxLength: maxLines }).map((lines) => ({ id, lines })))));
const estimateArb = fc.record({
  jobs: jobsArb(10_000_000, 6),
  settings: settingsArb,
  flatCost: fc.integer({ min: 0, max: 10_000_000 }),
});

const shuffled = <T>(items: T[]) => fc.shuffledSubarray(items, { minLength: items.length });

function expectSharesAddUp({ jobs, totals }: EstimateTotals, flatCost: number): void {
  for (const category of CATEGORIES) expect(jobs.reduce((sum, job) => sum + job.totals.tax[category], 0)).toBe(totals.tax[category]);
  const sum = (figure: (t: Totals) => number) => jobs.reduce((acc, job) => acc + figure(job.totals), 0);
  expect(sum((t) => t.tax.total)).toBe(totals.tax.total);
  expect(sum((t) => t.shop_supplies)).toBe(totals.shop_supplies);
  expect(sum((t) => t.total)).toBe(totals.total - flatCost);
}

describe('properties', () => {
  it('totals, job totals and line prices do not depend on the order of jobs or lines', () => {
    const arb = estimateArb.chain(({ jobs, settings, flatCost }) =>
      fc.record({
        original: fc.constant(jobs),
        reordered: shuffled(jobs).chain((reordered) =>
          fc.tuple(...reordered.map((job) => shuffled(job.lines).map((lines) => ({ ...job, lines })))),
        ),
        settings: fc.constant(settings),
        flatCost: fc.constant(flatCost),
      }),
    );
    fc.assert(
      fc.property(arb, ({ original, reordered, settings, flatCost }) => {
        const a = priceEstimate(original, settings, flatCost);
        const b = priceEstimate(reordered, settings, flatCost);
        expect(b.totals).toEqual(a.totals);
        const byId = (estimate: EstimateTotals) =>
          new Map(
            estimate.jobs.map((job) => [
              job.id,
              { totals: job.totals, lines: [...job.lines].sort((x, y) => x.netCents - y.netCents || x.amountCents - y.amountCents) },
            ]),
          );
        expect(byId(b)).toEqual(byId(a));
      }),
    );
  });

  it('the jobs’ tax shares sum exactly to the ticket’s tax in every category, and each is its exact share within a cent', () => {
    fc.assert(
      fc.property(estimateArb, ({ jobs, settings, flatCost }) => {
        const estimate = priceEstimate(jobs, settings, flatCost);
        expectSharesAddUp(estimate, flatCost);
        // Each job's share is its exact proportional share of the category's tax, rounded up or down.
        const bases = estimate.jobs.map((job, index) =>
          Object.fromEntries(
            CATEGORIES.map((c) => {
              const taxableNets = jobs[index]!.lines.reduce(
                (sum, l, i) => (l.category === c && l.taxable ? sum + job.lines[i]!.netCents : sum),
                0,
              );
              const supplies = c === 'fees' && settings.shopSupplies.taxable ? job.totals.shop_supplies : 0;
              return [c, taxableNets + supplies];
            }),
          ),
        );
        for (const c of CATEGORIES) {
          const total = bases.reduce((sum, b) => sum + b[c]!, 0);
          if (total === 0) continue;
          estimate.jobs.forEach((job, index) => {
            const exact = new R(estimate.totals.tax[c]).times(bases[index]![c]!).div(total);
            expect(exact.minus(job.totals.tax[c]).abs().lt(1)).toBe(true);
          });
        }
      }),
    );
  });

  it('every ticket total equals a reference computed with decimal.js', () => {
    fc.assert(
      fc.property(estimateArb, ({ jobs, settings, flatCost }) => {
        expect(priceEstimate(jobs, settings, flatCost).totals).toEqual(reference(jobs, settings, flatCost));
      }),
    );
  });

  it('labor amounts equal hours × rate rounded half-up by decimal.js', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), (hours, rate) => {
        const expected = new R(hours).times(rate).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
        expect(laborAmountCents(hours, rate)).toBe(expected);
      }),
    );
  });

  it(`estimates up to the documented maximum (${MAX_ESTIMATE_CENTS} cents) never overflow or lose a cent`, () => {
    const huge = fc
      .record({ jobs: jobsArb(MAX_ESTIMATE_CENTS, 4), settings: settingsArb, flatCost: fc.integer({ min: 0, max: MAX_ESTIMATE_CENTS }) })
      .map(({ jobs, settings, flatCost }) => {
        // Scale the amounts down so that the estimate just fits the maximum.
        const gross = jobs.flatMap((job) => job.lines).reduce((sum, l) => sum + BigInt(l.amountCents), BigInt(flatCost));
        const max = BigInt(MAX_ESTIMATE_CENTS);
        const fit = (cents: number) => (gross > max ? Number((BigInt(cents) * max) / gross) : cents);
        const settingsUncapped = { ...settings, shopSupplies: { ...settings.shopSupplies, capCents: 0 } };
        return {
          jobs: jobs.map((job) => ({ ...job, lines: job.lines.map((l) => ({ ...l, amountCents: fit(l.amountCents) })) })),
          settings: settingsUncapped,
          flatCost: fit(flatCost),
        };
      });
    fc.assert(
      fc.property(huge, ({ jobs, settings, flatCost }) => {
        const estimate = priceEstimate(jobs, settings, flatCost);
        expect(estimate.totals).toEqual(reference(jobs, settings, flatCost));
        expectSharesAddUp(estimate, flatCost);
        const figures = [estimate.totals, ...estimate.jobs.map((job) => job.totals)].flatMap((t) => [
          ...Object.values(t).filter((v) => typeof v === 'number'),
          ...Object.values(t.tax),
        ]);
        for (const figure of figures) expect(Number.isSafeInteger(figure) && figure >= 0).toBe(true);
      }),
    );
    // The extreme itself: every amount at the maximum, every rate at 100%.
    const all: EngineSettings = {
      taxRates: { labor: 100_000, parts: 100_000, fees: 100_000, sublet: 100_000 },
      shopSupplies: { percentOfLaborThousandths: 100_000, capCents: 0, taxable: true },
    };
    const jobs = [{ id: 1, lines: [line('labor', MAX_ESTIMATE_CENTS)] }];
    expect(priceEstimate(jobs, all, 0).totals.total).toBe(4 * MAX_ESTIMATE_CENTS);
    expect(priceEstimate(jobs, all, 0).totals).toEqual(reference(jobs, all, 0));
  });
});

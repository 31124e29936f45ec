import { z } from 'zod';
import { DecisionsInput } from '../approvals/approval.schemas.ts';
import { EstimateTotals, Job, Line } from '../service-tickets/estimate.schemas.ts';
import { Count, PersonName } from '../shared/schemas.ts';

/**
 * An approval link's token, from the path. Any text up to this length is taken
 * and looked up by its hash, so that a malformed token costs what a real one
 * does and is told the same (410); the tokens made are 43 characters.
 */
export const ApprovalToken = z.string().min(1).max(256).meta({ example: 'q3Xz2mC0bq9yV8Jr0Ck1dHn4Lw7Pe5Ts6Ua2Rf8Gi0' });

export const ApprovalLink = z
  .object({
    url: z.url().meta({ description: "The page where the customer reviews and decides: PUBLIC_URL + '/app/approve/' + token." }),
    token: z.string().meta({ description: 'Shown once: the shop keeps only its hash. Anyone holding it may decide on the estimate.' }),
    expires_at: z.iso.datetime(),
    estimate_version: Count.meta({
      description: 'The version the link is bound to: once the estimate changes, the link no longer takes decisions.',
    }),
  })
  .meta({
    id: 'ApprovalLink',
    example: {
      url: 'https://shop.example/app/approve/q3Xz2mC0bq9yV8Jr0Ck1dHn4Lw7Pe5Ts6Ua2Rf8Gi0',
      token: 'q3Xz2mC0bq9yV8Jr0Ck1dHn4Lw7Pe5Ts6Ua2Rf8Gi0',
      expires_at: '2026-12-03T09:12:00.000Z',
      estimate_version: 3,
    },
  });
export type ApprovalLink = z.output<typeof ApprovalLink>;

/** What a customer sees of a line: its price, never what the shop pays or who does it. */
const LinkLine = z
  .strictObject(
    Line.pick({
      type: true,
      description: true,
      hours: true,
      rate: true,
      part_name: true,
      quantity: true,
      unit_price: true,
      taxable: true,
      discount: true,
      amount: true,
      discount_amount: true,
      net: true,
    }).shape,
  )
  .meta({ id: 'EstimateLine' });

const LinkJob = z
  .strictObject({
    ...Job.pick({ id: true, title: true, concern: true, authorization: true, decided_at: true, decline_reason: true }).shape,
    lines: z.array(LinkLine),
    totals: EstimateTotals.meta({ description: "The job's figures; a declined job's are its own, not counted in the ticket's totals." }),
  })
  .meta({ id: 'EstimateJob' });

/**
 * What an approval link shows, to anyone holding it: what the customer needs to
 * decide, and nothing more (no customer contact details, no VIN or plate, no
 * internal costs or staff).
 */
export const EstimateForApproval = z
  .strictObject({
    shop_name: z.string(),
    currency: z.string().meta({ description: 'ISO 4217 code of every amount.' }),
    vehicle: z.strictObject({ year: z.int().nullable(), make: z.string().nullable(), model: z.string().nullable() }),
    jobs: z.array(LinkJob),
    totals: EstimateTotals.meta({ description: 'The ticket’s totals: every job but the declined ones, and the flat cost.' }),
    estimate_version: Count.meta({ description: 'The version the link is bound to, which this is.' }),
    expires_at: z.iso.datetime().meta({ description: 'Decisions are taken until then.' }),
  })
  .meta({
    id: 'EstimateForApproval',
    example: {
      shop_name: 'Mechanic Shop',
      currency: 'USD',
      vehicle: { year: 2003, make: 'Honda', model: 'Accord' },
      jobs: [
        {
          id: 11,
          title: 'Front brakes',
          concern: 'Squeal when stopping',
          authorization: 'pending',
          decided_at: null,
          decline_reason: null,
          lines: [
            {
              type: 'part',
              description: '',
              hours: null,
              rate: null,
              part_name: 'Brake pad set',
              quantity: 2,
              unit_price: '49.90',
              taxable: true,
              discount: null,
              amount: '99.80',
              discount_amount: '0.00',
              net: '99.80',
            },
          ],
          totals: {
            labor: '0.00',
            parts: '99.80',
            fees: '0.00',
            sublet: '0.00',
            discounts: '0.00',
            shop_supplies: '0.00',
            tax: { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00', total: '0.00' },
            subtotal: '99.80',
            total: '99.80',
          },
        },
      ],
      totals: {
        labor: '0.00',
        parts: '99.80',
        fees: '0.00',
        sublet: '0.00',
        discounts: '0.00',
        shop_supplies: '0.00',
        tax: { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00', total: '0.00' },
        subtotal: '99.80',
        total: '99.80',
      },
      estimate_version: 3,
      expires_at: '2026-12-03T09:12:00.000Z',
    },
  });
export type EstimateForApproval = z.output<typeof EstimateForApproval>;

export const ByToken = z.strictObject({ token: ApprovalToken });

export const LinkApproval = z
  .strictObject({
    token: ApprovalToken,
    decisions: DecisionsInput,
    signature_name: PersonName.meta({ description: 'The name of the person deciding, as they sign.' }),
  })
  .meta({
    examples: [
      {
        decisions: [
          { job_id: 11, decision: 'approve' },
          { job_id: 12, decision: 'decline', reason: 'Next month' },
        ],
        signature_name: 'Ada Lovelace',
      },
    ],
  });
export type LinkApproval = z.output<typeof LinkApproval>;

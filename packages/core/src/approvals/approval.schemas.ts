import { z } from 'zod';
import { MAX_ID, MAX_LENGTH } from '../shared/limits.ts';
import { Money } from '../shared/money.ts';
import { Count, DatabaseText, Id, IdField, IdParam, paginated, PaginationInput, PersonName, Phone } from '../shared/schemas.ts';

export const APPROVAL_METHODS = ['portal', 'link', 'in_person', 'phone', 'text', 'email'] as const;
export type ApprovalMethod = (typeof APPROVAL_METHODS)[number];
export const ApprovalMethod = z.enum(APPROVAL_METHODS).meta({
  id: 'ApprovalMethod',
  description: "portal: the customer's own login; link: an approval link; the others: staff recording the customer's word.",
});

/** How staff heard the customer's decision, when they record it on the customer's behalf. */
export const STAFF_APPROVAL_METHODS = ['in_person', 'phone', 'text', 'email'] as const satisfies readonly ApprovalMethod[];

export const ApprovalDecisionKind = z.enum(['approve', 'decline']).meta({ id: 'ApprovalDecisionKind' });

const Reason = DatabaseText(1, MAX_LENGTH.declineReason);

/** One job's decision in a request. */
export const DecisionInput = z.strictObject({
  job_id: IdField,
  decision: ApprovalDecisionKind,
  reason: Reason.optional().meta({ description: 'Why (a decline: kept on the job as decline_reason).' }),
});
export type DecisionInput = z.output<typeof DecisionInput>;

/** The decisions of one approval: at least one, and a job at most once. Approval links take the same. */
export const DecisionsInput = z
  .array(DecisionInput)
  .min(1)
  .max(100)
  .superRefine((decisions, ctx) => {
    const seen = new Set<number>();
    decisions.forEach(({ job_id }, index) => {
      if (seen.has(job_id)) ctx.addIssue({ code: 'custom', path: [index, 'job_id'], message: `Job ${job_id} is decided twice` });
      seen.add(job_id);
    });
  })
  .meta({ description: 'At least one; a job at most once. A decision may change an earlier one.' });

export const NewApproval = z
  .strictObject({
    id: IdParam,
    estimate_version: z
      .int()
      .min(0)
      .max(MAX_ID)
      .pipe(z.int())
      .meta({ description: "The ticket's estimate_version the customer saw: 409 estimate_changed when it is not the current one." }),
    decisions: DecisionsInput,
    signature_name: PersonName.meta({ description: 'The name of the person who authorized it, as they signed or gave it.' }),
    method: z
      .enum(['portal', ...STAFF_APPROVAL_METHODS])
      .optional()
      .meta({
        description:
          'How the customer gave their decision: required of staff (in_person, phone, text, email); a customer may send portal, or nothing.',
      }),
    contact_name: PersonName.optional().meta({ description: 'Staff only: the person spoken to (required with phone).' }),
    contact_phone: Phone.optional().meta({ description: 'Staff only: the number called (required with phone).' }),
  })
  .meta({
    examples: [
      {
        estimate_version: 3,
        decisions: [
          { job_id: 11, decision: 'approve' },
          { job_id: 12, decision: 'decline', reason: 'Next month' },
        ],
        signature_name: 'Ada Lovelace',
      },
      {
        estimate_version: 3,
        decisions: [{ job_id: 11, decision: 'approve' }],
        signature_name: 'Ada Lovelace',
        method: 'phone',
        contact_name: 'Ada Lovelace',
        contact_phone: '+44 20 7946 0000',
      },
    ],
  });
export type NewApproval = z.output<typeof NewApproval>;

export const Approval = z
  .object({
    id: Id,
    service_ticket_id: Id,
    estimate_version: Count.meta({ description: 'The estimate_version the decisions were made on.' }),
    method: ApprovalMethod,
    recorded_by: z.object({ kind: z.enum(['customer', 'staff']), id: Id }),
    contact_name: z.string().nullable(),
    contact_phone: z.string().nullable(),
    signature_name: z.string(),
    decisions: z.array(
      z.object({
        job_id: Id,
        job_title: z.string().meta({ description: "The job's title then." }),
        decision: ApprovalDecisionKind,
        reason: z.string().nullable(),
        amount: Money.meta({
          description: "The job's total with its tax share at that version: approved, as part of approved_amount; declined, on its own.",
        }),
      }),
    ),
    approved_amount: Money.meta({
      description:
        'Every job approved on the ticket after this record, priced together at this version (their totals with their shares of ' +
        'shop supplies and tax, without the flat cost): what the customer has authorized in all.',
    }),
    client_ip: z.string(),
    user_agent: z.string(),
    created_at: z.iso.datetime(),
  })
  .meta({
    id: 'Approval',
    description: 'A customer’s decisions on the jobs of one version of a ticket’s estimate. Never edited or deleted.',
    example: {
      id: 5,
      service_ticket_id: 7,
      estimate_version: 3,
      method: 'phone',
      recorded_by: { kind: 'staff', id: 2 },
      contact_name: 'Ada Lovelace',
      contact_phone: '+44 20 7946 0000',
      signature_name: 'Ada Lovelace',
      decisions: [
        { job_id: 11, job_title: 'Front brakes', decision: 'approve', reason: null, amount: '219.80' },
        { job_id: 12, job_title: 'Timing belt', decision: 'decline', reason: 'Next month', amount: '640.00' },
      ],
      approved_amount: '219.80',
      client_ip: '203.0.113.7',
      user_agent: 'Mozilla/5.0',
      created_at: '2026-11-30T09:12:00.000Z',
    },
  });
export type Approval = z.output<typeof Approval>;

export const ApprovalPage = paginated(Approval, 'ApprovalPage');

export const ApprovalQuery = PaginationInput.extend({ id: IdParam });
export type ApprovalQuery = z.output<typeof ApprovalQuery>;

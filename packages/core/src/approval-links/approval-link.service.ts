import { createHash, randomBytes } from 'node:crypto';
import type { Approval } from '../approvals/approval.schemas.ts';
import { recordApproval } from '../approvals/approval.service.ts';
import type { StaffPrincipal } from '../auth/tokens.ts';
import type { Database, Prisma, Transaction } from '../db/client.ts';
import { lockServiceTicket, readSnapshot } from '../db/dialect.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import { diffFields, recordAudit } from '../events/outbox.ts';
import { readSettings } from '../shop/shop.service.ts';
import { requireNotInvoiced } from '../service-tickets/estimate.service.ts';
import { readTicket } from '../service-tickets/service-ticket.service.ts';
import type { RequestInfo } from '../trpc/context.ts';
import type { AppServices } from '../app-services.ts';
import type { ApprovalLink, EstimateForApproval, LinkApproval } from './approval-link.schemas.ts';

export interface ApprovalLinkSettings {
  /** How long a new link works, in hours (APPROVAL_LINK_TTL_HOURS). */
  ttlHours: number;
  /** Where customers reach the shop, without a trailing slash (PUBLIC_URL): links are `<publicUrl>/app/approve/<token>`. */
  publicUrl: string;
}

export const DEFAULT_APPROVAL_LINK_SETTINGS: ApprovalLinkSettings = { ttlHours: 72, publicUrl: 'http://localhost:3000' };

type Deps = Pick<AppServices, 'db' | 'provider'>;

/** 256 random bits: beyond any guessing, at the rate limit's pace or any other. */
const TOKEN_BYTES = 32;

/**
 * What the database keeps of a token: its SHA-256, never the token. A token is
 * random and long, so a plain hash is as good as a slow one. A link is found by
 * its hash in one indexed equality lookup, whatever the text sent: finding a
 * wrong token costs what finding a right one does, and nothing compares a
 * secret byte by byte.
 */
function hashOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The link's own columns only: a relation would be a second statement, for known tokens only. */
const linkFields = { serviceTicketId: true, estimateVersion: true, expiresAt: true, revokedAt: true } satisfies Prisma.ApprovalLinkSelect;

type LinkRow = Prisma.ApprovalLinkGetPayload<{ select: typeof linkFields }>;

/**
 * The link a token opens, if it still works. An unknown, expired or revoked
 * token gets the same 410 after the same one lookup: the answer tells a
 * guesser nothing about which tokens exist.
 */
async function liveLink(db: Database | Transaction, token: string): Promise<LinkRow> {
  const link = await db.approvalLink.findUnique({ where: { tokenHash: hashOf(token) }, select: linkFields });
  if (!link || link.revokedAt !== null || link.expiresAt.getTime() <= Date.now()) {
    throw new AppError('link_expired', 'This approval link has expired or was replaced by a newer one; ask the shop for a new link');
  }
  return link;
}

/** Whoever holds a link acts as the ticket's customer. */
async function holderOf(db: Database | Transaction, link: LinkRow): Promise<{ role: 'customer'; id: number }> {
  const { customerId } = await db.serviceTicket.findUniqueOrThrow({ where: { id: link.serviceTicketId }, select: { customerId: true } });
  return { role: 'customer', id: customerId };
}

/**
 * Makes a link for the ticket's customer to decide on its current estimate
 * without logging in. It is bound to the ticket's estimate_version, works
 * `ttlHours`, and revokes the ticket's earlier links (only the latest sent works).
 * A cancelled or invoiced ticket takes no decisions, so it gets no link.
 */
export function createApprovalLink(
  { db, provider, approvalLinks }: Deps & Pick<AppServices, 'approvalLinks'>,
  caller: StaffPrincipal,
  ticketId: number,
): Promise<ApprovalLink> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return inTransaction(db, async (tx) => {
    if (!(await lockServiceTicket(tx, provider, ticketId))) throw new AppError('not_found', `No service ticket with id ${ticketId}`);
    const ticket = await tx.serviceTicket.findUniqueOrThrow({ where: { id: ticketId }, select: { status: true, estimateVersion: true } });
    await requireNotInvoiced(tx, ticketId);
    if (ticket.status === 'CANCELLED') throw new AppError('ticket_cancelled', `Service ticket ${ticketId} is cancelled`);
    const estimateVersion = ticket.estimateVersion + (await readSettings(tx)).pricingVersion;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + approvalLinks.ttlHours * 3_600_000);
    await tx.approvalLink.updateMany({ where: { serviceTicketId: ticketId, revokedAt: null }, data: { revokedAt: now } });
    const { id } = await tx.approvalLink.create({
      data: { serviceTicketId: ticketId, tokenHash: hashOf(token), estimateVersion, expiresAt, createdById: caller.id },
      select: { id: true },
    });
    const link = {
      url: `${approvalLinks.publicUrl}/app/approve/${token}`,
      token,
      expires_at: expiresAt.toISOString(),
      estimate_version: estimateVersion,
    };
    // Never the token or url: whoever reads the history must not be able to approve with it.
    const changes = diffFields(null, link, ['estimate_version', 'expires_at']);
    const subject = { type: 'approval_link', id };
    await recordAudit(tx, { actor: caller, subject, action: 'approval_link.created', changes, serviceTicketId: ticketId });
    return link;
  });
}

/** The estimate moved on since the link was made: the link is for what the customer was sent, not for what it is now. */
function estimateChanged(link: LinkRow, currentVersion: number): AppError {
  return new AppError(
    'estimate_changed',
    `The estimate changed since this link was sent (version ${link.estimateVersion}, now ${currentVersion}); ask the shop for a new link`,
    { details: { current_estimate_version: currentVersion } },
  );
}

/**
 * What a link's holder sees: the shop, the vehicle, the jobs with their lines
 * and totals, the ticket's totals, at the link's estimate_version (409
 * estimate_changed once the estimate has moved on).
 */
export function viewByLink({ db, provider }: Deps, token: string): Promise<EstimateForApproval> {
  return readSnapshot(db, provider, async (tx) => {
    const link = await liveLink(tx, token);
    const ticket = await readTicket(tx, provider, link.serviceTicketId, await holderOf(tx, link));
    if (ticket.estimate_version !== link.estimateVersion) throw estimateChanged(link, ticket.estimate_version);
    const { shopName, currency } = await readSettings(tx);
    return {
      shop_name: shopName,
      currency,
      vehicle: { year: ticket.vehicle.year, make: ticket.vehicle.make, model: ticket.vehicle.model },
      jobs: ticket.jobs.map((job) => ({
        id: job.id,
        title: job.title,
        concern: job.concern,
        authorization: job.authorization,
        decided_at: job.decided_at,
        decline_reason: job.decline_reason,
        lines: job.lines.map((line) => ({
          type: line.type,
          description: line.description,
          hours: line.hours,
          rate: line.rate,
          part_name: line.part_name,
          quantity: line.quantity,
          unit_price: line.unit_price,
          taxable: line.taxable,
          discount: line.discount,
          amount: line.amount,
          discount_amount: line.discount_amount,
          net: line.net,
        })),
        totals: job.totals,
      })),
      totals: ticket.totals,
      estimate_version: link.estimateVersion,
      expires_at: link.expiresAt.toISOString(),
    };
  });
}

/**
 * Records the link holder's decisions as the ticket's customer (method `link`),
 * on the version the link is bound to: a changed estimate is a 409
 * estimate_changed and nothing is recorded, as with any approval.
 */
export async function approveByLink(
  { db, provider }: Deps,
  request: Pick<RequestInfo, 'clientIp' | 'userAgent'>,
  { token, decisions, signature_name }: LinkApproval,
): Promise<Approval> {
  // Found before the transaction: on MySQL the first plain read of a transaction
  // fixes what its later reads see, and the ticket's lock must come before them.
  const { serviceTicketId } = await liveLink(db, token);
  return inTransaction(db, async (tx) => {
    await lockServiceTicket(tx, provider, serviceTicketId);
    // Read again under the lock, which a new link takes too: a link revoked meanwhile, or gone with its deleted ticket, is refused.
    const link = await liveLink(tx, token);
    return recordApproval(tx, provider, serviceTicketId, {
      estimateVersion: link.estimateVersion,
      decisions,
      signatureName: signature_name,
      method: 'link',
      recordedBy: { kind: 'customer', id: (await holderOf(tx, link)).id },
      clientIp: request.clientIp,
      userAgent: request.userAgent,
    });
  });
}

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DecisionInput, NewApproval } from '../approvals/approval.schemas.ts';
import { NewCustomer } from '../customers/customer.schemas.ts';
import { NewInventoryItem } from '../inventory/inventory.schemas.ts';
import { VoidInvoice } from '../invoices/invoice.schemas.ts';
import { NewMechanic } from '../mechanics/mechanic.schemas.ts';
import { NewPayment, NewRefund } from '../payments/payment.schemas.ts';
import { JobEdit, LineEdit, NewJob } from '../service-tickets/estimate.schemas.ts';
import { NewServiceTicket } from '../service-tickets/service-ticket.schemas.ts';
import { ShopSettingsEdit } from '../shop/shop.schemas.ts';
import { NewOdometerReading, NewVehicle } from '../vehicles/vehicle.schemas.ts';
import { NewWebhook } from '../webhooks/webhook.schemas.ts';
import { MAX_LENGTH } from './limits.ts';

/** `Model.field` → n for every `@db.VarChar(n)` column of the data model. */
async function varcharColumns(): Promise<Map<string, number>> {
  const models = await readFile(new URL('../../prisma/models.prisma', import.meta.url), 'utf8');
  const columns = new Map<string, number>();
  for (const [, model, body] of models.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    for (const [, field, size] of body!.matchAll(/^\s+(\w+)\s+String\b.*@db\.VarChar\((\d+)\)/gm))
      columns.set(`${model}.${field}`, Number(size));
  }
  return columns;
}

const maxLengthOf = (schema: z.ZodObject, key: string) => {
  const field = schema.shape[key] as unknown as { maxLength?: number | null; unwrap?: () => unknown };
  return (field.maxLength ?? (field.unwrap?.() as { maxLength?: number } | undefined)?.maxLength) as number;
};

/** Each user-writable text column, with the input field that fills it. */
const INPUTS: Record<string, [z.ZodObject, string]> = {
  'Customer.name': [NewCustomer, 'name'],
  'Customer.email': [NewCustomer, 'email'],
  'Customer.phone': [NewCustomer, 'phone'],
  'Customer.address': [NewCustomer, 'address'],
  'Mechanic.name': [NewMechanic, 'name'],
  'Mechanic.email': [NewMechanic, 'email'],
  'Mechanic.phone': [NewMechanic, 'phone'],
  'Mechanic.address': [NewMechanic, 'address'],
  'ServiceTicket.title': [NewServiceTicket, 'title'],
  'ServiceTicket.description': [NewServiceTicket, 'description'],
  'InventoryItem.partName': [NewInventoryItem, 'part_name'],
  'InventoryItem.description': [NewInventoryItem, 'description'],
  'Vehicle.plate': [NewVehicle, 'plate'],
  'Vehicle.make': [NewVehicle, 'make'],
  'Vehicle.model': [NewVehicle, 'model'],
  'Vehicle.trim': [NewVehicle, 'trim'],
  'Vehicle.engine': [NewVehicle, 'engine'],
  'Vehicle.color': [NewVehicle, 'color'],
  'OdometerReading.correctionReason': [NewOdometerReading, 'correction_reason'],
  'Job.title': [NewJob, 'title'],
  'Job.concern': [NewJob, 'concern'],
  'Job.cause': [JobEdit, 'cause'],
  'Job.correction': [JobEdit, 'correction'],
  'Line.description': [LineEdit, 'description'],
  'ShopSettings.shopName': [ShopSettingsEdit, 'shop_name'],
  'Approval.contactName': [NewApproval, 'contact_name'],
  'Approval.contactPhone': [NewApproval, 'contact_phone'],
  'Approval.signatureName': [NewApproval, 'signature_name'],
  'ApprovalDecision.reason': [DecisionInput, 'reason'],
  'Job.declineReason': [DecisionInput, 'reason'],
  'ShopSettings.invoicePrefix': [ShopSettingsEdit, 'invoice_prefix'],
  'Invoice.voidReason': [VoidInvoice, 'reason'],
  'Payment.reference': [NewPayment, 'reference'],
  'Refund.reason': [NewRefund, 'reason'],
  'Webhook.url': [NewWebhook, 'url'],
  'Webhook.description': [NewWebhook, 'description'],
};

describe('input limits', () => {
  it('let every valid input fit its column: each text field is validated to its VarChar size', async () => {
    const columns = await varcharColumns();
    for (const [column, [schema, key]] of Object.entries(INPUTS)) {
      expect(maxLengthOf(schema, key), column).toBe(columns.get(column));
    }
  });

  it('cover every text column written from input (a new column needs a limit here)', async () => {
    const columns = [...(await varcharColumns()).keys()];
    // Written by the API itself, never from input: the bcrypt hash (60 characters); or validated to a fixed
    // shape that fits: the VIN (17) and the ISO 4217 currency code (3).
    const internal = ['Customer.passwordHash', 'Mechanic.passwordHash', 'Vehicle.vin', 'ShopSettings.currency'];
    // Kept cut to their columns (approval.service.ts): the request's client address and user agent; and a job's title, copied.
    internal.push('Approval.clientIp', 'Approval.userAgent', 'ApprovalDecision.jobTitle');
    // An invoice's number: the shop's invoice_prefix (12 at most) and the digits of its sequence.
    internal.push('Invoice.number');
    // An approval link's token, as its SHA-256 in hex (64): the token itself is never stored.
    internal.push('ApprovalLink.tokenHash');
    // Idempotency keys: the account and route (idempotency.test.ts checks every route fits), the key's and the request's SHA-256.
    internal.push('IdempotencyKey.scope', 'IdempotencyKey.key', 'IdempotencyKey.requestHash');
    // Webhooks: the generated secret (whsec_ and 32 base64 characters), the worker's reason, lease owner (a UUID) and subject
    // key (an event's subject type and id, 32 + 64), and a receiver's answer and error, cut to their columns (webhook.delivery.ts).
    internal.push('Webhook.secret', 'Webhook.disabledReason', 'WebhookDelivery.leaseOwner', 'WebhookDelivery.subjectKey');
    internal.push('WebhookAttempt.responseBody', 'WebhookAttempt.error');
    // Events and audit entries: their type or action, and subject type, from the code; a subject's id, an id or an invoice number.
    internal.push('Event.type', 'Event.subjectType', 'Event.subjectId');
    internal.push('AuditEntry.action', 'AuditEntry.subjectType', 'AuditEntry.subjectId');
    expect(columns.filter((column) => !internal.includes(column)).sort()).toEqual(Object.keys(INPUTS).sort());
  });

  it('has no limit constant without a column of that size', async () => {
    const sizes = new Set((await varcharColumns()).values());
    for (const [name, limit] of Object.entries(MAX_LENGTH)) expect(sizes.has(limit), name).toBe(true);
  });
});

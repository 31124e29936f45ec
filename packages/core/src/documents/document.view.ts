import type { Invoice, InvoiceStatus } from '../invoices/invoice.schemas.ts';
import type { ServiceTicket } from '../service-tickets/service-ticket.schemas.ts';
import type { PrintableDocument } from './pdf-render.ts';

/** What an estimate shows besides its ticket: the customer's contact details and the shop. */
export interface EstimateParties {
  customer: { name: string; email: string; phone: string; address: string };
  odometerUnit: string;
  shop: { name: string; currency: string };
}

interface VehicleFields {
  vin: string | null;
  plate: string | null;
  year: number | null;
  make: string | null;
  model: string | null;
}

const STATUS_TEXT: Record<InvoiceStatus, string> = { unpaid: 'Unpaid', partially_paid: 'Partially paid', paid: 'Paid', void: 'Void' };

/** The day of an ISO timestamp (UTC), as the API writes dates. */
const dayOf = (timestamp: string) => timestamp.slice(0, 10);

function customerLines(customer: EstimateParties['customer']): string[] {
  return [customer.name, customer.address, customer.email, customer.phone].filter(Boolean);
}

function vehicleLines(vehicle: VehicleFields, odometer: { in: number | null; out: number | null; unit: string }): string[] {
  const reading = (value: number | null) => (value === null ? undefined : `${value.toLocaleString('en-US')} ${odometer.unit}`);
  const readings = [reading(odometer.in) && `in ${reading(odometer.in)}`, reading(odometer.out) && `out ${reading(odometer.out)}`];
  return [
    [vehicle.year, vehicle.make, vehicle.model].filter((part) => part !== null && part !== '').join(' ') || 'Vehicle',
    vehicle.vin && `VIN ${vehicle.vin}`,
    vehicle.plate && `Plate ${vehicle.plate}`,
    readings.some(Boolean) && `Odometer ${readings.filter(Boolean).join(', ')}`,
  ].filter((line): line is string => Boolean(line));
}

/** An invoice as it prints: its snapshot, with its ledger. */
export function invoiceDocument(invoice: Invoice): PrintableDocument {
  return {
    kind: 'invoice',
    reference: invoice.number,
    shop: invoice.shop,
    facts: [
      ['Invoice no.', invoice.number],
      ['Issued', dayOf(invoice.issued_at)],
      ['Service ticket', `#${invoice.service_ticket_id}`],
      ['Status', STATUS_TEXT[invoice.status]],
    ],
    date: new Date(invoice.issued_at),
    customer: customerLines(invoice.customer),
    vehicle: vehicleLines(invoice.vehicle, {
      in: invoice.vehicle.odometer_in,
      out: invoice.vehicle.odometer_out,
      unit: invoice.vehicle.odometer_unit,
    }),
    jobs: invoice.jobs,
    totals: invoice.totals,
    flatCost: invoice.cost,
    ledger: { paid: invoice.paid, balance: invoice.balance, payments: invoice.payments },
    ...(invoice.status === 'void' ? { stamp: 'VOID' } : {}),
    notes: [
      ...(invoice.voided_at ? [`Voided on ${dayOf(invoice.voided_at)}: ${invoice.void_reason ?? ''}`] : []),
      'Thank you for your business.',
    ],
  };
}

/** A ticket's estimate as it prints: every job with the customer's decision on it; declined jobs shown, not counted. */
export function estimateDocument(ticket: ServiceTicket, parties: EstimateParties): PrintableDocument {
  return {
    kind: 'estimate',
    reference: `Estimate ${ticket.id}`,
    shop: parties.shop,
    facts: [
      ['Service ticket', `#${ticket.id}`],
      ['Estimate version', String(ticket.estimate_version)],
      ['Date', dayOf(ticket.updated_at)],
      ['Service date', ticket.service_date],
    ],
    date: new Date(ticket.updated_at),
    customer: customerLines(parties.customer),
    vehicle: vehicleLines(ticket.vehicle, { in: ticket.odometer_in, out: ticket.odometer_out, unit: parties.odometerUnit }),
    jobs: ticket.jobs,
    totals: ticket.totals,
    flatCost: ticket.cost,
    notes: [
      `This estimate is version ${ticket.estimate_version} of ticket #${ticket.id}. An approval is for this version: ` +
        'any change to the work or its prices needs your approval again. Declined jobs are shown with their prices but are not in the total.',
    ],
  };
}

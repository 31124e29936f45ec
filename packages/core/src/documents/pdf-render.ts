import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create as parseFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { EstimateTotals, Job, Line } from '../service-tickets/estimate.schemas.ts';
import type { InvoicePayment } from '../invoices/invoice.schemas.ts';

/** A document as it prints: the invoice or estimate JSON with the words around its figures (document.view.ts). */
export interface PrintableDocument {
  kind: 'invoice' | 'estimate';
  /** `INV-000042`, `Estimate 7`: the page footer's and the metadata's title. */
  reference: string;
  shop: { name: string; currency: string };
  /** Label and value pairs under the title: number, dates, ticket, status. */
  facts: Array<[label: string, value: string]>;
  /** The document's own date (issued, or the estimate's last change): the PDF's creation date, so that one document always prints the same bytes. */
  date: Date;
  customer: string[];
  vehicle: string[];
  jobs: Job[];
  totals: EstimateTotals;
  /** The ticket's flat charge, counted in the subtotal. */
  flatCost: string;
  /** An invoice's payments and what is left to pay. */
  ledger?: { paid: string; balance: string; payments: InvoicePayment[] };
  /** Printed across every page (`VOID`). */
  stamp?: string;
  /** Closing paragraphs: terms, the reason of a void. */
  notes: string[];
}

/*
 * DejaVu Sans Condensed, from the dejavu-fonts-ttf package: the Bitstream Vera
 * licence (DejaVu's changes are public domain) allows embedding and
 * redistribution, and it covers the currency signs and names of every script the
 * shop may print. Read and parsed once: parsing per document took two thirds of
 * a render.
 */
const require = createRequire(import.meta.url);
const loadFont = (file: string) => parseFont(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))) as Font;
let fonts: { regular: Font; bold: Font } | undefined;
const fontsOnce = () => (fonts ??= { regular: loadFont('DejaVuSansCondensed.ttf'), bold: loadFont('DejaVuSansCondensed-Bold.ttf') });

const PAGE = { width: 612, height: 792, margin: 48 } as const; // US Letter, in points
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin - 14; // room for the footer
const COLOR = { text: '#1f2933', muted: '#616e7c', rule: '#cbd2d9', band: '#f0f4f8', accent: '#243b53' } as const;
const STATUS_COLOR = { approved: '#2f7d32', declined: '#b42318', pending: '#b7791f' } as const;

/** The line table's columns: left edge and width, in points. */
const COLUMNS = {
  description: { x: PAGE.margin, width: 226 },
  quantity: { x: PAGE.margin + 226, width: 50 },
  rate: { x: PAGE.margin + 276, width: 62 },
  amount: { x: PAGE.margin + 338, width: 62 },
  discount: { x: PAGE.margin + 400, width: 54 },
  net: { x: PAGE.margin + 454, width: 62 },
} as const;

/**
 * Renders a document to PDF bytes. Amounts print as the JSON has them (the
 * same digits, "1234.50"), so that the paper and the API never disagree. It is
 * the customer's document whoever prints it: what sublet work costs the shop
 * (in a staff member's JSON) is never on it.
 */
export function renderPdf(document: PrintableDocument): Promise<Buffer> {
  const { regular, bold } = fontsOnce();
  const pdf = new PDFDocument({
    size: 'LETTER',
    margin: PAGE.margin,
    bufferPages: true,
    info: {
      Title: `${document.kind === 'invoice' ? 'Invoice' : 'Estimate'} ${document.reference}`,
      Author: document.shop.name,
      Creator: document.shop.name,
      CreationDate: document.date,
      ModDate: document.date,
    },
  });
  // pdfkit opens a parsed fontkit font as well as a file, which its types leave out.
  pdf.registerFont('regular', regular as unknown as Buffer);
  pdf.registerFont('bold', bold as unknown as Buffer);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  new Layout(pdf, document).draw();
  pdf.end();
  return finished;
}

/** The currency's sign as English text writes it ("$", "€", "CA$"), or its code. */
function currencySign(currency: string): string {
  try {
    const parts = new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
    return parts.find((part) => part.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

/** A percentage (always three decimals) without the zeros it ends with: "10.000" → "10", "12.500" → "12.5". */
const trimZeros = (percent: string) => percent.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

const AUTHORIZATION_TEXT = { approved: 'APPROVED', declined: 'DECLINED', pending: 'AWAITING APPROVAL' } as const;
const LINE_KIND = { labor: 'Labor', part: 'Part', fee: 'Fee', sublet: 'Sublet' } as const;

/** The drawing of one document, top to bottom, page by page. */
class Layout {
  private y: number = PAGE.margin;
  private inJobTable = false;
  private readonly sign: string;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly document: PrintableDocument,
  ) {
    this.sign = currencySign(document.shop.currency);
  }

  draw(): void {
    this.header();
    this.parties();
    this.jobs();
    this.totals();
    if (this.document.ledger) this.payments(this.document.ledger);
    this.notes();
    this.finishPages();
  }

  private header(): void {
    const { pdf, document } = this;
    const title = document.kind === 'invoice' ? 'INVOICE' : 'ESTIMATE';
    pdf.font('bold').fontSize(18).fillColor(COLOR.accent).text(document.shop.name, PAGE.margin, this.y, { width: 300 });
    pdf
      .font('regular')
      .fontSize(8.5)
      .fillColor(COLOR.muted)
      .text(`All amounts in ${document.shop.currency}`, PAGE.margin, pdf.y + 2, { width: 300 });
    const left = pdf.y;
    pdf
      .font('bold')
      .fontSize(20)
      .fillColor(COLOR.accent)
      .text(title, PAGE.margin + 300, this.y, { width: 216, align: 'right' });
    let y = pdf.y + 4;
    for (const [label, value] of document.facts) {
      pdf
        .font('regular')
        .fontSize(9)
        .fillColor(COLOR.muted)
        .text(label, PAGE.margin + 300, y, { width: 100, align: 'right' });
      pdf
        .font('bold')
        .fillColor(COLOR.text)
        .text(value, PAGE.margin + 404, y, { width: 112, align: 'right' });
      y += 13;
    }
    this.y = Math.max(left, y) + 10;
    this.rule(this.y, COLOR.accent, 1.2);
    this.y += 12;
  }

  private parties(): void {
    const { pdf, document } = this;
    const column = (heading: string, lines: string[], x: number) => {
      pdf.font('bold').fontSize(8).fillColor(COLOR.muted).text(heading, x, this.y, { width: 250, characterSpacing: 0.6 });
      let y = pdf.y + 2;
      lines.forEach((line, index) => {
        pdf
          .font(index === 0 ? 'bold' : 'regular')
          .fontSize(index === 0 ? 10.5 : 9)
          .fillColor(COLOR.text)
          .text(line, x, y, { width: 250 });
        y = pdf.y + 1;
      });
      return y;
    };
    const bottom = Math.max(
      column(document.kind === 'invoice' ? 'BILL TO' : 'CUSTOMER', document.customer, PAGE.margin),
      column('VEHICLE', document.vehicle, PAGE.margin + 266),
    );
    this.y = bottom + 14;
  }

  private jobs(): void {
    const { pdf, document } = this;
    this.sectionHeading(document.kind === 'invoice' ? 'WORK PERFORMED' : 'PROPOSED WORK');
    this.tableHeader();
    if (document.jobs.length === 0) {
      pdf
        .font('regular')
        .fontSize(9)
        .fillColor(COLOR.muted)
        .text('No jobs.', PAGE.margin, this.y + 4);
      this.y = pdf.y + 8;
    }
    this.inJobTable = true;
    document.jobs.forEach((job, index) => this.job(job, index + 1));
    this.inJobTable = false;
  }

  private job(job: Job, position: number): void {
    const { pdf } = this;
    const details = [
      job.concern && `Concern: ${job.concern}`,
      job.cause && `Cause: ${job.cause}`,
      job.correction && `Correction: ${job.correction}`,
    ].filter((text): text is string => Boolean(text));
    const detailsHeight = details.reduce((sum, text) => sum + this.heightOf(text, 8.5, CONTENT_WIDTH - 12), 0);
    // A job's title never ends a page alone: it goes with its details and first line.
    this.ensureSpace(20 + detailsHeight + 18);

    pdf.rect(PAGE.margin, this.y, CONTENT_WIDTH, 17).fill(COLOR.band);
    const title = `${position}. ${job.title}${job.pay_type === 'customer' ? '' : ` (${job.pay_type})`}`;
    pdf
      .font('bold')
      .fontSize(10)
      .fillColor(COLOR.text)
      .text(title, PAGE.margin + 6, this.y + 4, { width: 330, lineBreak: false, ellipsis: true });
    if (this.document.kind === 'estimate') this.authorization(job);
    this.y += 21;
    for (const text of details) {
      pdf
        .font('regular')
        .fontSize(8.5)
        .fillColor(COLOR.muted)
        .text(text, PAGE.margin + 12, this.y, { width: CONTENT_WIDTH - 12 });
      this.y = pdf.y + 1;
    }
    if (details.length) this.y += 3;
    for (const line of job.lines) this.line(line);
    this.jobTotals(job);
  }

  /** An estimate's job: the customer's decision, in the job's title band. */
  private authorization(job: Job): void {
    const { pdf } = this;
    const decided = job.decided_at ? ` ${job.decided_at.slice(0, 10)}` : '';
    pdf
      .font('bold')
      .fontSize(8.5)
      .fillColor(STATUS_COLOR[job.authorization])
      .text(`${AUTHORIZATION_TEXT[job.authorization]}${decided}`, PAGE.margin + 330, this.y + 5, {
        width: CONTENT_WIDTH - 336,
        align: 'right',
      });
  }

  private line(line: Line): void {
    const { pdf } = this;
    const name = line.type === 'part' ? [line.part_name, line.description].filter(Boolean).join(': ') : line.description;
    const notes = [
      line.discount && ('percent' in line.discount ? `${trimZeros(line.discount.percent)}% off` : `${line.discount.amount} off`),
      line.taxable ? '' : 'not taxed',
    ]
      .filter(Boolean)
      .join(' · ');
    const description = `${LINE_KIND[line.type]}: ${name || '—'}`;
    const height = this.heightOf(description, 9, COLUMNS.description.width - 12) + (notes ? 10 : 0) + 4;
    this.ensureSpace(height);

    pdf
      .font('regular')
      .fontSize(9)
      .fillColor(COLOR.text)
      .text(description, COLUMNS.description.x + 12, this.y, { width: COLUMNS.description.width - 12 });
    if (notes)
      pdf
        .fontSize(7.5)
        .fillColor(COLOR.muted)
        .text(notes, COLUMNS.description.x + 12, pdf.y, { width: COLUMNS.description.width - 12 });
    const quantity = line.type === 'labor' ? `${line.hours} h` : line.type === 'part' ? String(line.quantity) : '';
    const rate = line.type === 'labor' ? line.rate : line.type === 'part' ? line.unit_price : null;
    this.cell(quantity, 'quantity');
    this.cell(rate ?? '', 'rate');
    this.cell(line.amount, 'amount');
    this.cell(line.discount_amount === '0.00' ? '—' : `−${line.discount_amount}`, 'discount');
    this.cell(line.net, 'net');
    this.y += height;
  }

  private jobTotals(job: Job): void {
    const { pdf } = this;
    const totals = job.totals;
    const categories: Array<[string, string]> = [
      ['Labor', totals.labor],
      ['Parts', totals.parts],
      ['Fees', totals.fees],
      ['Sublet', totals.sublet],
      ['Discounts', totals.discounts],
      ['Shop supplies', totals.shop_supplies],
    ];
    const taxes = this.taxFigures(totals).map(([category, amount]) => `${category} ${amount}`);
    const breakdown = [
      ...categories.filter(([, amount]) => amount !== '0.00').map(([label, amount]) => `${label} ${amount}`),
      `Subtotal ${totals.subtotal}`,
      `Tax ${totals.tax.total}${taxes.length ? ` (${taxes.join(', ')})` : ''}`,
    ].join(' · ');
    const declined = this.document.kind === 'estimate' && job.authorization === 'declined';
    const note = declined ? `Declined${job.decline_reason ? `: ${job.decline_reason}` : ''}. Not included in the estimate's total.` : '';
    const height = this.heightOf(breakdown, 7.5, 360) + (note ? this.heightOf(note, 7.5, 360) : 0) + 10;
    this.ensureSpace(height);

    this.rule(this.y + 1, COLOR.rule, 0.5, PAGE.margin + 12);
    pdf
      .font('regular')
      .fontSize(7.5)
      .fillColor(COLOR.muted)
      .text(breakdown, PAGE.margin + 12, this.y + 4, { width: 360 });
    if (note) pdf.fillColor(STATUS_COLOR.declined).text(note, PAGE.margin + 12, pdf.y, { width: 360 });
    pdf
      .font('bold')
      .fontSize(9.5)
      .fillColor(declined ? COLOR.muted : COLOR.text)
      .text(`Job total ${this.money(totals.total)}`, PAGE.margin + 376, this.y + 4, { width: CONTENT_WIDTH - 376, align: 'right' });
    this.y += height + 6;
  }

  private totals(): void {
    const { document } = this;
    const totals = document.totals;
    const rows: Array<[string, string, 'bold'?]> = [
      ['Labor', totals.labor],
      ['Parts', totals.parts],
      ['Fees', totals.fees],
      ['Sublet', totals.sublet],
      ['Shop supplies', totals.shop_supplies],
      ...(document.flatCost === '0.00' ? [] : [['Flat charge', document.flatCost] as [string, string]]),
      ['Subtotal', totals.subtotal, 'bold'],
      ...this.taxFigures(totals).map(([category, amount]): [string, string] => [`Tax on ${category}`, amount]),
      ['Sales tax', totals.tax.total],
      ['Total', this.money(totals.total), 'bold'],
      ...(document.ledger
        ? [
            ['Paid', document.ledger.paid] as [string, string],
            ['Balance due', this.money(document.ledger.balance), 'bold'] as [string, string, 'bold'],
          ]
        : []),
    ];
    const height = rows.length * 14 + 30;
    this.ensureSpace(height);
    const x = PAGE.margin + CONTENT_WIDTH - 230;
    let y = this.y + 6;
    if (totals.discounts !== '0.00') {
      this.pdf
        .font('regular')
        .fontSize(8)
        .fillColor(COLOR.muted)
        .text(`The figures include discounts of ${totals.discounts}.`, PAGE.margin, y, { width: 250 });
    }
    for (const [label, amount, weight] of rows) {
      if (weight) this.rule(y - 3, COLOR.rule, 0.5, x);
      this.pdf
        .font(weight ?? 'regular')
        .fontSize(weight ? 10.5 : 9.5)
        .fillColor(COLOR.text)
        .text(label, x, y, { width: 130 });
      this.pdf.text(amount, x + 130, y, { width: 100, align: 'right' });
      y += weight ? 16 : 13;
    }
    this.y = y + 10;
  }

  /** The tax of each category that has any. */
  private taxFigures(totals: EstimateTotals): Array<[category: string, amount: string]> {
    const categories: Array<[string, string]> = [
      ['labor', totals.tax.labor],
      ['parts', totals.tax.parts],
      ['fees', totals.tax.fees],
      ['sublet', totals.tax.sublet],
    ];
    return categories.filter(([, amount]) => amount !== '0.00');
  }

  private payments(ledger: NonNullable<PrintableDocument['ledger']>): void {
    const { pdf } = this;
    this.ensureSpace(48);
    this.sectionHeading('PAYMENTS');
    if (ledger.payments.length === 0) {
      pdf.font('regular').fontSize(9).fillColor(COLOR.muted).text('No payments yet.', PAGE.margin, this.y);
      this.y = pdf.y + 10;
      return;
    }
    const row = (cells: [string, string, string, string], font: 'regular' | 'bold', color: string) => {
      this.ensureSpace(14);
      pdf.font(font).fontSize(9).fillColor(color);
      pdf.text(cells[0], PAGE.margin, this.y, { width: 90 });
      pdf.text(cells[1], PAGE.margin + 90, this.y, { width: 70 });
      pdf.text(cells[2], PAGE.margin + 160, this.y, { width: 266, lineBreak: false, ellipsis: true });
      pdf.text(cells[3], PAGE.margin + 426, this.y, { width: 90, align: 'right' });
      this.y += 14;
    };
    row(['Date', 'Method', 'Reference', 'Amount'], 'bold', COLOR.muted);
    for (const payment of ledger.payments) {
      row([payment.received_at.slice(0, 10), payment.method, payment.reference ?? '', payment.amount], 'regular', COLOR.text);
      for (const refund of payment.refunds) {
        row([refund.refunded_at.slice(0, 10), 'refund', refund.reason, `−${refund.amount}`], 'regular', COLOR.muted);
      }
      if (payment.refunds.length > 0) row(['', '', 'Refunded from this payment', payment.refunded], 'regular', COLOR.muted);
    }
    this.y += 8;
  }

  private notes(): void {
    const { pdf } = this;
    for (const note of this.document.notes) {
      this.ensureSpace(this.heightOf(note, 8.5, CONTENT_WIDTH) + 6);
      pdf.font('regular').fontSize(8.5).fillColor(COLOR.muted).text(note, PAGE.margin, this.y, { width: CONTENT_WIDTH });
      this.y = pdf.y + 6;
    }
  }

  /** Footers, and the stamp, once every page exists: "Page 2 of 3". */
  private finishPages(): void {
    const { pdf, document } = this;
    const { start, count } = pdf.bufferedPageRange();
    for (let index = start; index < start + count; index++) {
      pdf.switchToPage(index);
      if (document.stamp) this.stamp(document.stamp);
      // The footer is written in the bottom margin, where pdfkit would otherwise start a new page.
      const bottomMargin = pdf.page.margins.bottom;
      pdf.page.margins.bottom = 0;
      const y = PAGE.height - PAGE.margin + 6;
      this.rule(y - 6, COLOR.rule, 0.5);
      pdf.font('regular').fontSize(7.5).fillColor(COLOR.muted);
      pdf.text(`${document.shop.name} · ${document.reference}`, PAGE.margin, y, { width: 300, lineBreak: false });
      pdf.text(`Page ${index - start + 1} of ${count}`, PAGE.margin + 316, y, { width: 200, align: 'right', lineBreak: false });
      pdf.page.margins.bottom = bottomMargin;
    }
  }

  private stamp(text: string): void {
    const { pdf } = this;
    pdf.save();
    pdf.rotate(-30, { origin: [PAGE.width / 2, PAGE.height / 2] });
    pdf
      .font('bold')
      .fontSize(110)
      .fillColor(STATUS_COLOR.declined)
      .fillOpacity(0.12)
      .text(text, 0, PAGE.height / 2 - 60, { width: PAGE.width, align: 'center', lineBreak: false });
    pdf.restore();
  }

  private sectionHeading(text: string): void {
    this.pdf.font('bold').fontSize(8).fillColor(COLOR.muted).text(text, PAGE.margin, this.y, { characterSpacing: 0.6 });
    this.y = this.pdf.y + 4;
  }

  private tableHeader(): void {
    const { pdf } = this;
    pdf.font('bold').fontSize(8).fillColor(COLOR.muted);
    const headings: Array<[keyof typeof COLUMNS, string]> = [
      ['description', 'Description'],
      ['quantity', 'Qty / hrs'],
      ['rate', 'Rate'],
      ['amount', 'Amount'],
      ['discount', 'Discount'],
      ['net', 'Net'],
    ];
    for (const [column, text] of headings) {
      const { x, width } = COLUMNS[column];
      pdf.text(text, x, this.y, { width, align: column === 'description' ? 'left' : 'right', lineBreak: false });
    }
    this.y += 12;
    this.rule(this.y, COLOR.rule, 0.75);
    this.y += 5;
  }

  /** A new page when `height` does not fit on this one; inside the job table, the table's header again. */
  private ensureSpace(height: number): void {
    if (this.y + height <= BOTTOM) return;
    this.pdf.addPage();
    this.y = PAGE.margin;
    if (this.inJobTable) this.tableHeader();
  }

  private cell(text: string, column: keyof typeof COLUMNS): void {
    const { x, width } = COLUMNS[column];
    this.pdf.font('regular').fontSize(9).fillColor(COLOR.text).text(text, x, this.y, { width, align: 'right', lineBreak: false });
  }

  private rule(y: number, color: string, width: number, from: number = PAGE.margin): void {
    this.pdf
      .moveTo(from, y)
      .lineTo(PAGE.margin + CONTENT_WIDTH, y)
      .lineWidth(width)
      .strokeColor(color)
      .stroke();
  }

  private heightOf(text: string, size: number, width: number): number {
    return this.pdf.font('regular').fontSize(size).heightOfString(text, { width });
  }

  private money(amount: string): string {
    return `${this.sign}${amount}`;
  }
}

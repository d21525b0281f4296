import PDFDocument from 'pdfkit';
import { money } from '@stratus/domain';
import type { InvoiceDto } from './invoice.dto';
import type { StatementDto } from './statement.dto';
import { BILLING_SELLER } from './statements-read-model';

/** "$1,234.50"; amounts finer than a cent (usage charges) keep their digits: "$0.013889". */
export function displayUsd(amount: string): string {
  const micros = money(amount);
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = (magnitude / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let fraction = (magnitude % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  return `${negative ? '-' : ''}$${whole}.${fraction}`;
}

/** A whole PDF as a Buffer (documents are small: one page or two). */
function render(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Producer: 'Stratus' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}

function amountRow(doc: PDFKit.PDFDocument, label: string, amount: string, bold = false): void {
  const y = doc.y;
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(label, 50, y, { width: 380 });
  doc.text(displayUsd(amount), 430, y, { width: 115, align: 'right' });
  doc.moveDown(0.4);
}

/** The invoice (receipt) or credit note as a PDF: number, dates, parties, lines, tax and total. */
export function renderInvoicePdf(invoice: InvoiceDto, seller = BILLING_SELLER): Promise<Buffer> {
  const title = invoice.kind === 'invoice' ? 'Invoice' : 'Credit note';
  return render(`${title} ${invoice.number}`, (doc) => {
    doc.font('Helvetica-Bold').fontSize(20).text(`${title} ${invoice.number}`);
    doc.fontSize(10).font('Helvetica').moveDown(0.5);
    doc.text(`Issued: ${invoice.issuedAt.slice(0, 10)}`);
    doc.text(`Seller: ${seller}`);
    if (invoice.kind === 'invoice') doc.text('Paid in full (receipt).');
    doc.moveDown();
    doc.font('Helvetica-Bold').text('Billed to');
    doc.font('Helvetica');
    if (invoice.billingProfile) {
      doc.text(invoice.billingProfile.legalName);
      for (const line of invoice.billingProfile.address.split('\n')) doc.text(line);
      doc.text(`Country: ${invoice.billingProfile.country}`);
      if (invoice.billingProfile.taxId) doc.text(`Tax ID: ${invoice.billingProfile.taxId}`);
    } else {
      doc.text(`Organization ${invoice.organizationId} (no billing profile on file)`);
    }
    doc.moveDown();
    doc.font('Helvetica-Bold');
    const y = doc.y;
    doc.text('Description', 50, y, { width: 380 });
    doc.text('Amount', 430, y, { width: 115, align: 'right' });
    doc.moveDown(0.4);
    doc.font('Helvetica');
    for (const line of invoice.lines) amountRow(doc, line.description, line.amount);
    doc.moveDown();
    amountRow(doc, 'Subtotal (before tax)', invoice.subtotal);
    amountRow(
      doc,
      `Tax ${invoice.taxRate}%${invoice.taxCountry ? ` (${invoice.taxCountry})` : ''}${invoice.pricesIncludeTax ? ', included' : ''}`,
      invoice.tax,
    );
    amountRow(doc, `Total (${invoice.currency})`, invoice.total, true);
    doc.moveDown();
    doc.font('Helvetica').fontSize(8).text(`Payment ${invoice.paymentId}, reference ${invoice.sourceId}.`);
  });
}

/** The monthly usage statement as a PDF: charges grouped by server and the period's total. */
export function renderStatementPdf(statement: StatementDto, seller = BILLING_SELLER): Promise<Buffer> {
  return render(`Statement ${statement.period}`, (doc) => {
    doc.font('Helvetica-Bold').fontSize(20).text(`Usage statement ${statement.period}`);
    doc.fontSize(10).font('Helvetica').moveDown(0.5);
    doc.text(`Seller: ${seller}`);
    doc.text(`Organization: ${statement.organizationId}`);
    doc.text(`Period: ${statement.from} to ${statement.to} (UTC, end exclusive)`);
    doc.moveDown();
    if (statement.servers.length === 0) doc.text('No charges in this period.');
    for (const server of statement.servers) {
      amountRow(
        doc,
        `${server.label ?? (server.vpsId ? `Server ${server.vpsId}` : 'Other charges')} (${server.entries} charges)`,
        server.amount,
      );
    }
    doc.moveDown();
    amountRow(doc, 'Total charges', statement.total, true);
  });
}

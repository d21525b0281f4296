import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery } from '@mikro-orm/core';
import { formatMoney } from '@stratus/domain';
import { InvoiceEntity, type InvoiceRow, type ProjectionsOrm } from '@stratus/projections';
import { isUuid } from '../../../shared/auth/organization-access.service';
import { ApiError } from '../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import type { InvoiceDto } from './invoice.dto';

export interface InvoicesPage {
  items: InvoiceDto[];
  nextCursor: string | null;
}
export interface InvoiceCursor {
  issuedAt: Date;
  invoiceId: string;
}

/** Opaque to clients: base64url of "v1:<issuedAt ISO>|<invoiceId>" of the last item returned. */
function encodeCursor(row: Pick<InvoiceRow, 'issuedAt' | 'invoiceId'>): string {
  return Buffer.from(`v1:${row.issuedAt.toISOString()}|${row.invoiceId}`, 'utf8').toString('base64url');
}

export function decodeInvoiceCursor(cursor: string): InvoiceCursor {
  const invalid = () =>
    ApiError.badRequest('invalid_cursor', 'cursor is not one this API returned', { field: 'cursor' });
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(cursor)) throw invalid();
  const match = /^v1:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) throw invalid();
  return { issuedAt: new Date(match[1]), invoiceId: match[2] };
}

/** Invoice ids are uuids: anything else is an invoice that does not exist. */
export function requireInvoiceId(invoiceId: string): string {
  if (!isUuid(invoiceId)) throw new ApiError(404, 'invoice_not_found', 'Invoice not found');
  return invoiceId.toLowerCase();
}

/** The invoices read model (libs/projections `invoices`): pages, one document. */
@Injectable()
export class InvoicesReadModel {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async page(
    where: FilterQuery<InvoiceRow>,
    limit: number,
    cursor: InvoiceCursor | null,
  ): Promise<InvoicesPage> {
    const filter: FilterQuery<InvoiceRow> = cursor
      ? {
          $and: [
            where,
            {
              $or: [
                { issuedAt: { $lt: cursor.issuedAt } },
                { issuedAt: cursor.issuedAt, invoiceId: { $lt: cursor.invoiceId } },
              ],
            },
          ],
        }
      : where;
    const rows = await this.orm.em.fork().find(InvoiceEntity, filter, {
      orderBy: { issuedAt: 'desc', invoiceId: 'desc' },
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(invoiceDto),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /** The organization's document, or 404 (another organization's included). */
  async get(organizationId: string, invoiceId: string): Promise<InvoiceDto> {
    const row = await this.orm.em.fork().findOne(InvoiceEntity, { invoiceId, organizationId });
    if (!row) throw new ApiError(404, 'invoice_not_found', 'Invoice not found');
    return invoiceDto(row);
  }
}

export function invoiceDto(row: InvoiceRow): InvoiceDto {
  return {
    invoiceId: row.invoiceId,
    organizationId: row.organizationId,
    kind: row.kind,
    number: row.number,
    paymentId: row.paymentId,
    sourceId: row.sourceId,
    correctsInvoiceId: row.correctsInvoiceId,
    issuedAt: row.issuedAt.toISOString(),
    currency: row.currency,
    billingProfile: row.billingProfile,
    taxCountry: row.taxCountry,
    taxRate: row.taxRate,
    pricesIncludeTax: row.pricesIncludeTax,
    lines: row.lines,
    subtotal: formatMoney(row.subtotal),
    tax: formatMoney(row.tax),
    total: formatMoney(row.total),
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery } from '@mikro-orm/core';
import { formatMoney } from '@stratus/domain';
import { PaymentEntity, type PaymentRow, type ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import type { PaymentDto } from './payment.dto';

export interface PaymentListItem extends PaymentDto {
  captureId: string | null;
  uncoveredAmount: string;
  createdAt: string;
  updatedAt: string;
}
export interface PaymentsPage {
  items: PaymentListItem[];
  nextCursor: string | null;
}

/** Opaque to clients: base64url of "v1:<createdAt ISO>|<paymentId>" of the last item returned. */
export function encodePaymentCursor(row: Pick<PaymentRow, 'createdAt' | 'paymentId'>): string {
  return Buffer.from(`v1:${row.createdAt.toISOString()}|${row.paymentId}`, 'utf8').toString('base64url');
}

export function decodePaymentCursor(cursor: string): { createdAt: Date; paymentId: string } {
  const invalid = () =>
    ApiError.badRequest('invalid_cursor', 'cursor is not one this API returned', { field: 'cursor' });
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(cursor)) throw invalid();
  const match = /^v1:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) throw invalid();
  return { createdAt: new Date(match[1]), paymentId: match[2] };
}

/** The payments read model (libs/projections `payments`): history pages and the daily limit's sum. */
@Injectable()
export class PaymentsReadModel {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async page(
    where: FilterQuery<PaymentRow>,
    limit: number,
    cursor: { createdAt: Date; paymentId: string } | null,
  ): Promise<PaymentsPage> {
    const filter: FilterQuery<PaymentRow> = cursor
      ? {
          $and: [
            where,
            {
              $or: [
                { createdAt: { $lt: cursor.createdAt } },
                { createdAt: cursor.createdAt, paymentId: { $lt: cursor.paymentId } },
              ],
            },
          ],
        }
      : where;
    const rows = await this.orm.em.fork().find(PaymentEntity, filter, {
      orderBy: { createdAt: 'desc', paymentId: 'desc' },
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(paymentListItem),
      nextCursor: rows.length > limit && last ? encodePaymentCursor(last) : null,
    };
  }

  /** The payment a provider's capture belongs to (disputes name the capture only), null when none is known. */
  async paymentIdOfCapture(provider: PaymentRow['provider'], captureId: string): Promise<string | null> {
    const row = await this.orm.em.fork().findOne(PaymentEntity, { provider, captureId });
    return row?.paymentId ?? null;
  }

  /** What the organization initiated since the start of `now`'s UTC day, failed and expired payments excluded. */
  async initiatedToday(organizationId: string, now: Date): Promise<bigint> {
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<{ total: string | null }[]>(
        `select sum(amount)::text as total from payments
          where organization_id = ? and created_at >= ? and status not in ('failed', 'expired')`,
        [organizationId, dayStart],
      );
    return BigInt(rows[0]?.total ?? '0');
  }
}

export function paymentListItem(row: PaymentRow): PaymentListItem {
  return {
    paymentId: row.paymentId,
    organizationId: row.organizationId,
    provider: row.provider,
    status: row.status,
    amount: formatMoney(row.amount),
    capturedAmount: row.capturedAmount === null ? null : formatMoney(row.capturedAmount),
    refundedAmount: formatMoney(row.refundedAmount),
    disputedAmount: formatMoney(row.disputedAmount),
    uncoveredAmount: formatMoney(row.uncoveredAmount),
    redirectUrl: row.redirectUrl,
    captureId: row.captureId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

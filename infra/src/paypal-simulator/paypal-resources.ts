/** The simulator's state as PayPal's API shows it: orders, captures, refunds and disputes with HATEOAS links. */
import {
  cents,
  decimal,
  Link,
  Money,
  SimulatedCapture,
  SimulatedDispute,
  SimulatedOrder,
  SimulatedRefund,
} from './paypal-state';

/** The merchant every simulated order pays. */
export const SIMULATED_MERCHANT = { merchant_id: 'SMERCHANT2345', email_address: 'merchant@example.com' };
/** The buyer who approves on the simulator's checkout page. */
export const SIMULATED_BUYER = {
  name: { given_name: 'Sam', surname: 'Buyer' },
  email_address: 'buyer@example.com',
  address: { country_code: 'US' },
};

const link = (href: string, rel: string, method: 'GET' | 'POST' = 'GET'): Link => ({ href, rel, method });

/** PayPal's fee on a capture (3.49 % + 0.49), so the breakdown adds up as PayPal's does. */
function fee(amount: Money): Money {
  const gross = cents(amount.value);
  return { currency_code: amount.currency_code, value: decimal((gross * 349n + 5000n) / 10000n + 49n) };
}

export function checkoutUrl(base: string, orderId: string): string {
  return `${base}/checkoutnow?token=${encodeURIComponent(orderId)}`;
}

export function captureView(capture: SimulatedCapture, base: string) {
  const paypalFee = fee(capture.amount);
  return {
    id: capture.id,
    status: capture.status,
    amount: capture.amount,
    final_capture: true,
    seller_protection: {
      status: 'ELIGIBLE',
      dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'],
    },
    seller_receivable_breakdown: {
      gross_amount: capture.amount,
      paypal_fee: paypalFee,
      net_amount: {
        currency_code: capture.amount.currency_code,
        value: decimal(cents(capture.amount.value) - cents(paypalFee.value)),
      },
    },
    ...(capture.customId === undefined ? {} : { custom_id: capture.customId }),
    ...(capture.invoiceId === undefined ? {} : { invoice_id: capture.invoiceId }),
    links: [
      link(`${base}/v2/payments/captures/${capture.id}`, 'self'),
      link(`${base}/v2/payments/captures/${capture.id}/refund`, 'refund', 'POST'),
      link(`${base}/v2/checkout/orders/${capture.orderId}`, 'up'),
    ],
    create_time: capture.createTime,
    update_time: capture.updateTime,
  };
}

function orderLinks(order: SimulatedOrder, base: string): Link[] {
  const self = link(`${base}/v2/checkout/orders/${order.id}`, 'self');
  if (order.status === 'CREATED') return [self, link(checkoutUrl(base, order.id), 'approve')];
  if (order.status === 'PAYER_ACTION_REQUIRED')
    return [self, link(checkoutUrl(base, order.id), 'payer-action')];
  if (order.status === 'APPROVED')
    return [self, link(`${base}/v2/checkout/orders/${order.id}/capture`, 'capture', 'POST')];
  return [self];
}

/** The whole order (Prefer: return=representation, and GET). */
export function orderView(order: SimulatedOrder, base: string, capture: SimulatedCapture | undefined) {
  const approved = order.payerId !== null;
  const payer = approved ? { ...SIMULATED_BUYER, payer_id: order.payerId! } : undefined;
  return {
    id: order.id,
    intent: 'CAPTURE',
    status: order.status,
    ...(order.paymentSource && approved
      ? {
          payment_source: {
            paypal: {
              email_address: SIMULATED_BUYER.email_address,
              account_id: order.payerId!,
              account_status: 'VERIFIED',
              name: SIMULATED_BUYER.name,
              address: SIMULATED_BUYER.address,
            },
          },
        }
      : {}),
    purchase_units: [
      {
        ...order.purchaseUnit,
        payee: SIMULATED_MERCHANT,
        ...(capture ? { payments: { captures: [captureView(capture, base)] } } : {}),
      },
    ],
    ...(payer ? { payer } : {}),
    create_time: order.createTime,
    update_time: order.updateTime,
    links: orderLinks(order, base),
  };
}

/** Prefer: return=minimal (PayPal's default): id, status and links; a capture's answer also names the capture. */
export function minimalOrderView(order: SimulatedOrder, base: string, capture: SimulatedCapture | undefined) {
  const full = orderView(order, base, capture);
  if (!capture) return { id: full.id, status: full.status, links: full.links };
  return {
    id: full.id,
    status: full.status,
    ...('payment_source' in full ? { payment_source: full.payment_source } : {}),
    purchase_units: [
      {
        reference_id: order.purchaseUnit.reference_id,
        payments: { captures: [captureView(capture, base)] },
      },
    ],
    ...(full.payer ? { payer: full.payer } : {}),
    links: full.links,
  };
}

export function refundView(refund: SimulatedRefund, capture: SimulatedCapture, base: string) {
  return {
    id: refund.id,
    status: 'COMPLETED',
    amount: refund.amount,
    ...(refund.noteToPayer === undefined ? {} : { note_to_payer: refund.noteToPayer }),
    seller_payable_breakdown: {
      gross_amount: refund.amount,
      net_amount: refund.amount,
      total_refunded_amount: {
        currency_code: capture.amount.currency_code,
        value: decimal(capture.refundedCents),
      },
    },
    create_time: refund.createTime,
    update_time: refund.createTime,
    links: [
      link(`${base}/v2/payments/refunds/${refund.id}`, 'self'),
      link(`${base}/v2/payments/captures/${capture.id}`, 'up'),
    ],
  };
}

export function minimalRefundView(refund: SimulatedRefund, capture: SimulatedCapture, base: string) {
  const full = refundView(refund, capture, base);
  return { id: full.id, status: full.status, links: full.links };
}

/** A dispute as PayPal's Customer Disputes API v1 shows it (the resource of CUSTOMER.DISPUTE.CREATED). */
export function disputeView(dispute: SimulatedDispute, base: string) {
  return {
    dispute_id: dispute.disputeId,
    create_time: dispute.createTime,
    update_time: dispute.createTime,
    disputed_transactions: [{ seller_transaction_id: dispute.captureId, seller: SIMULATED_MERCHANT }],
    reason: dispute.reason,
    status: 'OPEN',
    dispute_amount: dispute.amount,
    dispute_life_cycle_stage: 'INQUIRY',
    dispute_channel: 'INTERNAL',
    links: [link(`${base}/v1/customer/disputes/${dispute.disputeId}`, 'self')],
  };
}

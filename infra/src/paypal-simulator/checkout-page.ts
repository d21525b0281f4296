/** The buyer's side: PayPal's approval page, reduced to the order, an Approve button and a Cancel button. */
import type { SimulatedOrder } from './paypal-state';

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function checkoutPage(order: SimulatedOrder): string {
  const { amount, description } = order.purchaseUnit;
  const token = escape(order.id);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PayPal simulator – approve payment</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f5f7fa; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  main { background: #fff; border-radius: 12px; padding: 2rem; box-shadow: 0 2px 12px rgb(0 0 0 / 10%); max-width: 24rem; width: 100%; }
  h1 { font-size: 1.1rem; color: #003087; margin-top: 0; }
  .amount { font-size: 2rem; font-weight: 600; margin: 1rem 0; }
  form { display: inline; }
  button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: 999px; border: 0; cursor: pointer; margin-right: .5rem; }
  .approve { background: #ffc439; }
  .cancel { background: #e5e7eb; }
  small { display: block; color: #6b7280; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
  <h1>PayPal simulator</h1>
  <p>${escape(description ?? 'Payment')}</p>
  <p class="amount" data-testid="amount">${escape(amount.value)} ${escape(amount.currency_code)}</p>
  <p>Order <code>${token}</code></p>
  <form method="post" action="/checkoutnow/approve"><input type="hidden" name="token" value="${token}"><button class="approve" type="submit">Approve</button></form>
  <form method="post" action="/checkoutnow/cancel"><input type="hidden" name="token" value="${token}"><button class="cancel" type="submit">Cancel</button></form>
  <small>Nothing is charged: this page stands in for PayPal's checkout in development and tests.</small>
</main>
</body>
</html>
`;
}

export function messagePage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><p>${escape(message)}</p></body></html>\n`;
}

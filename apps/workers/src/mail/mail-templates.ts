import { INVITATION_PAGE, isOptionalMail } from '@stratus/domain';

/**
 * The mails Stratus sends: each template renders a subject, a plain-text body and an HTML body inside one layout
 * (product name and accent colour from MAIL_PRODUCT_NAME and MAIL_ACCENT_COLOR). Pure: no I/O, no clock. Which
 * of them a user may turn off is the domain's OPTIONAL_MAILS.
 */

export interface MailBrand {
  productName: string;
  /** #rrggbb */
  accentColor: string;
  /** The portal's public base URL (PORTAL_URL): every link points into it. */
  portalUrl: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What a template says: a heading, paragraphs, an optional button; the layout turns it into text and HTML. */
interface MailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; path: string };
}

export type MailTemplateData = Record<string, string>;

interface MailTemplate {
  content(data: MailTemplateData, brand: MailBrand): MailContent;
}

const server = (data: MailTemplateData) => `"${data.label}"`;
/** "2026-12-06 17:30 UTC": an instant as every reader reads it, whatever their time zone. */
const instant = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const NOT_YOU = 'If this was not you, reset your password at once and sign out every other session.';

export const MAIL_TEMPLATES = {
  welcome: {
    content: (data, brand) => ({
      subject: `Welcome to ${brand.productName}`,
      heading: `Welcome, ${data.name}`,
      paragraphs: [
        `Your ${brand.productName} account ${data.email} is ready.`,
        'Fund your wallet and create your first server from the portal.',
      ],
      action: { label: 'Open the portal', path: '/' },
    }),
  },
  // `token` is opened by the sender at send time from the row's sealed token; it is never stored in clear.
  verify_email: {
    content: (data, brand) => ({
      subject: `Confirm your email address for ${brand.productName}`,
      heading: 'Confirm your email address',
      paragraphs: [
        `Follow the link below to confirm that ${data.email} is yours. It works once, until ${instant(data.expiresAt)}.`,
        'If you did not create this account, ignore this mail.',
      ],
      action: {
        label: 'Confirm my email address',
        path: `/verify-email?token=${encodeURIComponent(data.token)}`,
      },
    }),
  },
  password_reset: {
    content: (data, brand) => ({
      subject: `Reset your ${brand.productName} password`,
      heading: 'Reset your password',
      paragraphs: [
        `Someone (we hope you) asked to reset the password of ${data.email}. The link works once, until ${instant(data.expiresAt)}.`,
        'If you did not ask, ignore this mail: your password stays as it is.',
      ],
      action: {
        label: 'Choose a new password',
        path: `/reset-password?token=${encodeURIComponent(data.token)}`,
      },
    }),
  },
  new_sign_in: {
    content: (data, brand) => ({
      subject: `New sign-in to your ${brand.productName} account`,
      heading: 'A new device signed in',
      paragraphs: [
        `Your account was signed in to from ${data.ip} at ${instant(data.at)}.`,
        `Browser: ${data.userAgent || 'unknown'}.`,
        NOT_YOU,
      ],
      action: { label: 'Review your sessions', path: '/account' },
    }),
  },
  password_changed: {
    content: (data, brand) => ({
      subject: `Your ${brand.productName} password was changed`,
      heading: 'Your password was changed',
      paragraphs: [
        data.via === 'reset'
          ? `Your password was reset through a mailed link at ${instant(data.at)}; every session was signed out.`
          : `Your password was changed at ${instant(data.at)}; your other sessions were signed out.`,
        'If this was not you, reset your password at once.',
      ],
      action: { label: 'Reset my password', path: '/forgot-password' },
    }),
  },
  two_factor_enabled: {
    content: (data) => ({
      subject: 'Two-factor authentication is on',
      heading: 'Two-factor authentication is on',
      paragraphs: [
        `Since ${instant(data.at)}, signing in asks for a code from your authenticator app.`,
        'Keep your recovery codes somewhere safe: each one replaces a code once.',
        NOT_YOU,
      ],
      action: { label: 'Open your account', path: '/account' },
    }),
  },
  two_factor_disabled: {
    content: (data) => ({
      subject: 'Two-factor authentication was turned off',
      heading: 'Two-factor authentication is off',
      paragraphs: [`Since ${instant(data.at)}, signing in asks for your password only.`, NOT_YOU],
      action: { label: 'Open your account', path: '/account' },
    }),
  },
  // Sent when the session starts: the user learns of it at once, whether or not staff end it before it expires.
  staff_access: {
    content: (data, brand) => ({
      subject: `A staff member accessed your ${brand.productName} account`,
      heading: 'A staff member accessed your account',
      paragraphs: [
        `On ${instant(data.startedAt)}, a member of the ${brand.productName} staff opened a session as you, because: ${data.reason}`,
        `The session ends when they stop, at the latest at ${instant(data.expiresAt)}. Everything done in it is recorded under their name; it cannot make payments or change your password, two-factor authentication, API keys or mail settings.`,
        'If you did not expect this, contact support; you can also end the session from your account.',
      ],
      action: { label: 'Review your sessions', path: '/account' },
    }),
  },
  member_added: {
    content: (data) => ({
      subject: `You were added to ${data.organizationName}`,
      heading: `You are now a member of ${data.organizationName}`,
      paragraphs: [`Your role: ${data.role}.`],
      action: { label: 'Open the organization', path: '/organizations' },
    }),
  },
  // To an address that may have no account yet; `token` is opened at send time, as for verify_email.
  invitation: {
    content: (data, brand) => ({
      subject: `${data.inviterName} invited you to ${data.organizationName} on ${brand.productName}`,
      heading: `Join ${data.organizationName}`,
      paragraphs: [
        `${data.inviterName} invited ${data.email} to the organization ${data.organizationName}, with the role ${data.roleName}.`,
        `Sign in with this address (or create an account with it), then accept or decline. The link works until ${instant(data.expiresAt)}.`,
        'If you did not expect this, ignore this mail: nobody becomes a member without accepting.',
      ],
      action: {
        label: 'Open the invitation',
        path: `${INVITATION_PAGE}/${encodeURIComponent(data.token)}`,
      },
    }),
  },
  server_active: {
    content: (data) => ({
      subject: `Your server ${server(data)} is ready`,
      heading: `Server ${server(data)} is active`,
      paragraphs: [
        `It answers on ${data.ipv4}.`,
        'Its root password is shown in the portal only; it is never sent by mail.',
      ],
      action: { label: 'Open the server', path: `/vps/${data.vpsId}` },
    }),
  },
  provisioning_failed: {
    content: (data) => ({
      subject: `Your server ${server(data)} could not be created`,
      heading: `Server ${server(data)} could not be created`,
      paragraphs: [
        data.refunded === 'true'
          ? 'The first hour it was charged has been refunded to your wallet.'
          : 'Nothing was charged for it.',
        'You can try again from the portal.',
      ],
      action: { label: 'Open the servers', path: '/vps' },
    }),
  },
  grace_period_started: {
    content: (data) => ({
      subject: `Your server ${server(data)} will be suspended unless the wallet is topped up`,
      heading: `Server ${server(data)} could not be paid`,
      paragraphs: [
        `The wallet could not pay ${data.amount} USD for its hour starting ${instant(data.periodStart)}.`,
        `Unless the wallet is topped up, the server is shut down and suspended at ${instant(data.suspendAt)}. Its data is kept.`,
      ],
      action: { label: 'Top up the wallet', path: '/billing' },
    }),
  },
  server_suspended: {
    content: (data) => ({
      subject: `Your server ${server(data)} was suspended`,
      heading: `Server ${server(data)} is suspended`,
      paragraphs: [
        `The wallet could not pay for it: ${data.debt} USD is owed.`,
        'Top up the wallet and it starts again.',
      ],
      action: { label: 'Top up the wallet', path: '/billing' },
    }),
  },
  server_resumed: {
    content: (data) => ({
      subject: `Your server ${server(data)} is running again`,
      heading: `Server ${server(data)} resumed`,
      paragraphs: ['The wallet paid what was owed; the server was started again.'],
      action: { label: 'Open the server', path: `/vps/${data.vpsId}` },
    }),
  },
  low_balance: {
    content: (data) => ({
      subject: `Your wallet balance is low (${data.balance} USD)`,
      heading: 'Your wallet is running low',
      paragraphs: [
        `${data.organizationName} has ${data.balance} USD left: less than ${data.hours} hours of its servers at ${data.hourlyBurn} USD an hour.`,
        'Servers that cannot be paid are suspended after a grace period.',
      ],
      action: { label: 'Top up the wallet', path: '/billing' },
    }),
  },
} satisfies Record<string, MailTemplate>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;

export function isMailTemplateName(name: string): name is MailTemplateName {
  return Object.hasOwn(MAIL_TEMPLATES, name);
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The one layout: a coloured header with the product name, the content, a footer. */
export function renderMail(name: MailTemplateName, data: MailTemplateData, brand: MailBrand): RenderedMail {
  const template: MailTemplate = MAIL_TEMPLATES[name];
  const content = template.content(data, brand);
  const link = content.action ? new URL(content.action.path, brand.portalUrl).toString() : null;
  const footer = isOptionalMail(name)
    ? `You can turn these mails off in your account settings: ${new URL('/account/notifications', brand.portalUrl)}`
    : `This mail is about your ${brand.productName} account.`;
  const text = [
    content.heading,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.action && link ? [`${content.action.label}: ${link}`, ''] : []),
    '-- ',
    `${brand.productName}. ${footer}`,
    '',
  ].join('\n');
  const color = escapeHtml(brand.accentColor);
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;background:#f4f4f5;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px;overflow:hidden">
<tr><td style="background:${color};color:#ffffff;padding:16px 24px;font-size:18px;font-weight:600">${escapeHtml(brand.productName)}</td></tr>
<tr><td style="padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.heading)}</h1>
${content.paragraphs.map((p) => `<p style="margin:0 0 12px;line-height:1.5">${escapeHtml(p)}</p>`).join('\n')}
${
  content.action && link
    ? `<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="background:${color};color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(content.action.label)}</a></p>`
    : ''
}
</td></tr>
<tr><td style="padding:16px 24px;color:#71717a;font-size:12px">${escapeHtml(footer)}</td></tr>
</table></td></tr></table>
</body></html>
`;
  return { subject: `${content.subject}`, text, html };
}

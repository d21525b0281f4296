import { requireValue, type Config } from '@stratus/infra';
import type { MailBrand } from './mail-templates';

/** The mail settings of the workers' configuration (MAIL_*, PORTAL_URL, SMTP_URL). */
export function mailSettingsFrom(config: Config): {
  smtpUrl: string | null;
  from: string;
  brand: MailBrand;
  lowBalanceHours: number;
  suspendGraceSeconds: number;
} {
  return {
    smtpUrl: config.SMTP_URL ?? null,
    from: requireValue(config, 'MAIL_FROM'),
    brand: {
      productName: requireValue(config, 'MAIL_PRODUCT_NAME'),
      accentColor: requireValue(config, 'MAIL_ACCENT_COLOR'),
      portalUrl: requireValue(config, 'PORTAL_URL'),
    },
    lowBalanceHours: Number(requireValue(config, 'MAIL_LOW_BALANCE_HOURS')),
    suspendGraceSeconds: Number(requireValue(config, 'SUSPEND_GRACE_SECONDS')),
  };
}

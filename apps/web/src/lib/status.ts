/** How each server status reads and looks. */
export const STATUS_LABELS: Record<string, string> = {
  provisioning: 'Provisioning',
  stuck: 'Stuck',
  active: 'Running',
  failed: 'Failed',
  suspended: 'Suspended',
  deleting: 'Deleting',
  deleted: 'Deleted',
};

export const STATUS_TONES: Record<string, string> = {
  provisioning: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  stuck: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  active: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  failed: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
  suspended: 'bg-orange-100 text-orange-800 dark:bg-orange-950 dark:text-orange-300',
  deleting: 'bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  deleted: 'bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400',
};

export const STAGE_LABELS: Record<string, string> = {
  charging_first_hour: 'Charging the first hour',
  creating_instance: 'Creating the instance',
  waiting_for_running: 'Waiting for it to boot',
  recording_active: 'Recording it as running',
  starting_billing: 'Starting hourly billing',
  compensating: 'Undoing (refund and clean-up)',
};

export const PROVISIONING_STAGES = [
  'charging_first_hour',
  'creating_instance',
  'waiting_for_running',
  'recording_active',
  'starting_billing',
] as const;

/** How each payment status reads (the customer's history and the staff list). */
export const PAYMENT_STATUS_LABELS: Record<string, string> = {
  initiated: 'Awaiting approval',
  approved: 'Approved',
  captured: 'Paid',
  failed: 'Failed',
  expired: 'Expired',
  refunded: 'Refunded',
  disputed: 'Disputed',
};

export const PAYMENT_STATUS_TONES: Record<string, string> = {
  initiated: STATUS_TONES.provisioning,
  approved: STATUS_TONES.provisioning,
  captured: STATUS_TONES.active,
  failed: STATUS_TONES.failed,
  expired: STATUS_TONES.deleted,
  refunded: STATUS_TONES.deleting,
  disputed: STATUS_TONES.stuck,
};

export const PAYMENT_PROVIDER_LABELS: Record<string, string> = { paypal: 'PayPal', stripe: 'Card' };

/** What the portal's form actions (customer and staff) hand back to their pages (safe to import in the browser). */

export type FieldErrors = Record<string, string>;

/** What a failed action hands back to the page (SvelteKit `fail(status, …)`). */
export interface ActionFailure {
  /** Which form failed, when a page has several. */
  form: string;
  /** Not tied to one field (shown beside the form's button). */
  message: string | null;
  fieldErrors: FieldErrors;
  /** What was typed, so the form is not emptied (never passwords). */
  values: Record<string, string>;
}

/** What a successful action that stays on its page hands back: which form, and what to tell the user. */
export interface ActionNotice {
  form: string;
  notice: string;
}

/** The failure a form action handed back (SvelteKit's `form` prop), optionally only that of one form. */
export function failureOf(form: unknown, name?: string): ActionFailure | null {
  if (!form || typeof form !== 'object' || !('fieldErrors' in form)) return null;
  const failure = form as ActionFailure;
  return name && failure.form !== name ? null : failure;
}

/** The success message a form action handed back, if any. */
export function noticeOf(form: unknown): string | null {
  if (!form || typeof form !== 'object' || !('notice' in form)) return null;
  return typeof form.notice === 'string' ? form.notice : null;
}

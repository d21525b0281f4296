/** Date formatting in the viewer's time zone (the browser's, once hydrated; UTC while server-rendered). */
export type TimeStyle = 'datetime' | 'date' | 'time' | 'short';

const STYLES: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
  date: { dateStyle: 'medium' },
  time: { timeStyle: 'medium' },
  short: { month: 'short', day: 'numeric' },
};

export function formatTime(
  iso: string | Date,
  style: TimeStyle = 'datetime',
  options: { timeZone?: string; locale?: string } = {},
): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(options.locale, { ...STYLES[style], timeZone: options.timeZone }).format(
    date,
  );
}

/** Calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayKey(iso: string | Date, timeZone?: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// Date helpers for the batch jobs (UTC, so that a job run near midnight covers the same day everywhere).
const DAY_IN_MILLISECONDS = 24 * 60 * 60 * 1000;

export function daysAgo(days: number, from: Date = new Date()): Date {
  return new Date(from.getTime() - days * DAY_IN_MILLISECONDS);
}

export function startOfMonth(month: string): Date {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber - 1, 1));
}

/** `YYYY-MM` of the month before `today`, the period the monthly reports cover. */
export function previousMonth(today: Date = new Date()): string {
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

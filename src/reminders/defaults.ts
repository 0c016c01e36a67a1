/** Reminders before an appointment: 3 days, 1 day and 3 hours before (ISO-8601 durations). */
export const DEFAULT_REMINDER_OFFSETS: readonly string[] = ['P3D', 'P1D', 'PT3H'];

/**
 * The one place Huella reads the time of day for anything a person is told or that is stored:
 * receiving a message, deciding a date has passed, planning reminders, the WhatsApp window.
 * Every process gets a clock when it is built; nothing else reads the wall for those. (Durations —
 * an answer deadline, a retry pause — are measured on the wall directly: they are not "now".)
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that reads `start` now and then runs at the wall's pace. Tests run the app at a chosen
 * instant with it (and BullMQ's delays, which are relative, still fire when this clock says).
 */
export function clockFrom(start: Date, wall: () => number = Date.now): Clock {
  const offset = start.getTime() - wall();
  return { now: () => new Date(wall() + offset) };
}

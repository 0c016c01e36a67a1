import { describe, expect, it } from 'vitest';
import { ContentRenderer } from '../../src/conversation/content.js';
import type { ConversationSnapshot } from '../../src/conversation/machine.js';
import { dayAhead, TEST_NOW } from '../support/clock.js';
import { flows, partsOf, reader, stepper, talkIn } from '../support/dialogue.js';

/**
 * What a message means in the conversation it arrives in (issue 15, part 7): a question about the
 * reminders, a free answer to "Did you go?", what worries someone just asked it, the language of
 * one's own words beside a pasted notice.
 */
const renderer = new ContentRenderer(flows);

const talk = (...messages: string[]) => talkIn('en', ...messages);
const systemsOf = (s: ConversationSnapshot) =>
  partsOf(s).flatMap((p) => ('system' in p.say ? [p.say.system] : []));
const leadsOf = (s: ConversationSnapshot) => partsOf(s).flatMap((p) => (p.lead ? [p.lead] : []));
const day = (lang: string) =>
  TEST_NOW.plus({ days: 23 })
    .setLocale(lang)
    .toFormat(lang === 'es' ? "d 'de' LLLL" : 'LLLL d');

/** A saved appointment whose "Did you go?" just came. */
function followUp(lang: 'en' | 'es'): ConversationSnapshot {
  const saved =
    lang === 'en'
      ? talk('hi', 'remind me', `${day('en')} at 9am`, '77002', '1')
      : talk('hola', 'recordarme', `${day('es')} a las 9am`, '77002', 'si');
  const id = saved.context.appointments[0]!.id;
  return stepper.step(saved, { type: 'REMINDER_DUE', appointmentId: id, version: 1, kind: 'followup' });
}

describe('a question about the reminders', () => {
  it('asking to be reminded, "when" after it, still collects the appointment', () => {
    for (const message of ['remind me when my appointment is', 'i want a reminder when is the day'])
      expect(systemsOf(talk('hi', message)), message).toContain('appt_ask_date');
    for (const message of ['avisame antes de mi cita', 'recuerdame mi cita por favor'])
      expect(systemsOf(talk('hola', message)), message).not.toContain('reminders_when');
  });

  it('a weekday and a day of the month that do not agree, with "tell me the day before": which day is it (fresh15)', () => {
    // The day 10 days ahead, named with the weekday of the day after it: two days it could be.
    const day = dayAhead(10);
    const otherWeekday = dayAhead(11);
    for (const [lang, message] of [
      [
        'es',
        `la cita es el ${otherWeekday.esWeekday} ${day.day} a las 10 y media, me avisas un dia antes porfa`,
      ],
      ['en', `my appointment is ${otherWeekday.enWeekday} ${day.day} at 10:30, text me the day before`],
    ] as const) {
      const snap = talkIn(lang, message);
      expect(systemsOf(snap), message).toContain('appt_which_date');
      expect(systemsOf(snap), message).not.toContain('reminders_when');
    }
  });
});

describe('a free answer to "Did you go?"', () => {
  const went: [lang: 'en' | 'es', message: string][] = [
    ['en', 'yes i went! they stamped the paper'],
    ['en', 'i went yesterday it was fast'],
    ['en', 'we went, what happens now?'],
    ['en', 'yes'],
    ['es', 'si ya fui'],
    ['es', 'si fui y me sellaron la carta'],
    ['es', 'ya me tomaron las huellas que sigue'],
    ['es', 'si'],
  ];
  const missed: [lang: 'en' | 'es', message: string][] = [
    ['en', "I couldn't go, I was sick"],
    ['en', 'i never went'],
    ['en', 'i didnt go, my car broke down'],
    ['en', 'no'],
    ['es', 'no fui'],
    ['es', 'no pude ir'],
    ['es', 'no asisti porque trabajo'],
    ['es', 'no alcance a ir, estaba enferma'],
  ];
  it.each(went)('%s: "%s" picks "I went"', (lang, message) => {
    const answered = reader.send(followUp(lang), message);
    expect(answered.context.node).toBe('appt_went');
    expect(answered.context.lang).toBe(lang);
  });
  it.each(missed)('%s: "%s" picks "I did not go"', (lang, message) => {
    expect(reader.send(followUp(lang), message).context.node).toBe('missed');
  });
  it('a question that is no answer still goes to its topic', () => {
    expect(reader.send(followUp('en'), 'yes, when do i get the work permit').context.node).toBe(
      'work_permit',
    );
  });
});

describe('what worries someone, after the text that asked it', () => {
  const invited = (lang: 'en' | 'es') =>
    lang === 'en' ? talk('hi', 'im so scared') : talk('hola', 'tengo mucho miedo');
  it.each([
    ['en', 'i dont know what to do'],
    ['en', 'that they reject my asylum'],
    ['en', 'im afraid of going to the office'],
    ['es', 'no se que hacer'],
    ['es', 'que me nieguen el asilo'],
    ['es', 'tengo miedo'],
  ] as const)('%s: "%s" gets a kind word and where to get help, not the same text again', (lang, message) => {
    const before = invited(lang);
    expect(before.context.node).toBe('distress');
    const heard = reader.send(before, message);
    expect(leadsOf(heard)).not.toContain('same_topic');
    expect(partsOf(heard).some((p) => 'node' in p.say && p.say.node === 'distress')).toBe(false);
    const replies = renderer.render(lang, partsOf(heard)).join('\n');
    expect(replies).toContain('ASAP');
  });
  it('a topic it names is answered', () => {
    expect(reader.send(invited('en'), 'i missed my appointment and im scared').context.node).toBe('missed');
    expect(reader.send(invited('es'), 'que me deporten').context.node).toBe('legal_help');
  });
  it('thanks, a nod and a number keep their meaning', () => {
    expect(systemsOf(reader.send(invited('en'), 'thank you'))).toEqual(['thanks_reply']);
    expect(systemsOf(reader.send(invited('en'), 'ok'))).toEqual(['ack_reply']);
    expect(reader.send(invited('en'), '2').context.node).toBe('reschedule');
  });
});

describe('the language', () => {
  const notice =
    'You are scheduled to appear at the USCIS Application Support Center for biometrics collection on the date and time shown below. Bring this notice and a photo identification.';
  it.each([
    ['es', `que significa esto: ${notice}`],
    ['es', `me llego esto\n${notice}\nque tengo que hacer?`],
    ['es', `${notice}\n\nq quiere decir`],
    ['es', `que es esto? "${notice}"`],
    ['en', `what does this mean\n${notice}`],
    ['en', notice],
  ] as const)(
    "%s: a question beside a pasted English notice is answered in its own words' language",
    (lang, message) => {
      expect(talk('hi', message).context.lang).toBe(lang);
      expect(talk('hola', message).context.lang).toBe(lang);
    },
  );
  it('the intro and the help name every language Huella reads, by the names of the packs', () => {
    const names = flows.languages.map((code) => flows.packs.get(code)!.name);
    // Every pack has a name of its own, and the first two are the ones Huella started with.
    expect(new Set(names).size).toBe(flows.languages.length);
    expect(names.slice(0, 2)).toEqual(['English', 'Español']);
    for (const [lang, first] of [
      ['en', 'hi'],
      ['es', 'hola'],
      ['fr', 'bonjour'],
    ] as const) {
      const intro = renderer.render(lang, partsOf(talk(first))).join(' ');
      const help = renderer.render(lang, [{ say: { system: 'help' } }]).join(' ');
      for (const name of names) {
        expect(intro).toContain(name);
        expect(help).toContain(name);
      }
    }
  });
});

import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_VERSION } from '../../src/conversation/machine.js';
import { keys } from '../../src/store/keys.js';
import { buildTestApp, newMessageSid, type TestApp } from '../support/app.js';
import { dayAhead, enLong, esLong, firstDay, re, testClock } from '../support/clock.js';
import { allKeys } from '../support/redis.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const inbound = (from: string, body: string) => ({
  messageSid: newMessageSid(),
  from,
  channel: 'sms' as const,
  body,
  numMedia: 0,
  receivedAt: testClock.now(),
});

// The days these conversations tell, as many days after the test's today as December 1, 3, 4…
// were after 22 November 2026, when they were written; named as people write them.
const d1 = dayAhead(9);
const d3 = dayAhead(11);
const d4 = dayAhead(12);
const d9 = dayAhead(17);
const d10 = dayAhead(18);
const d11 = dayAhead(19);
const d14 = dayAhead(22);
const d15 = dayAhead(23);
const later = dayAhead(51);

/** Sends one person's messages, one after the other, through the stored conversation. */
const sender = (from: string) => (body: string) => t.huella.conversations.handleInbound(inbound(from, body));

async function storeRaw(from: string, fields: Record<string, string | number>) {
  await t.redis.hset(keys.conversation(t.huella.crypto.personId(from)), fields);
}

describe('conversation service on a real Redis', () => {
  it('resumes a conversation written by an older machine version at the menu, keeping language', async () => {
    const from = '+15550100001';
    const old = {
      status: 'active',
      value: 'someOldState',
      context: { lang: 'es', node: 'nm_receipt', offered: [], asking: true },
    };
    await storeRaw(from, { rev: 3, v: MACHINE_VERSION - 1, snap: JSON.stringify(old) });
    const result = await t.huella.conversations.handleInbound(inbound(from, '1'));
    const menu = t.huella.renderer.pack('es').nodes[t.huella.flows.menu]!;
    const firstChoice = t.huella.flows.nodes.get(t.huella.flows.menu)!.choices[0]!.to;
    // "1" picks the first item of the menu it was reset to, in Spanish.
    expect(result.messages.join('\n')).toContain(
      t.huella.renderer.pack('es').nodes[firstChoice]!.text[0]!.slice(0, 30),
    );
    expect(menu).toBeDefined();
    expect(await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'rev')).toBe('4');
  });

  it('keeps an opted-out person opted out across a machine version change', async () => {
    const from = '+15550100002';
    const old = { status: 'active', value: 'optedOut', context: { lang: 'en' } };
    await storeRaw(from, { rev: 1, v: MACHINE_VERSION + 1, snap: JSON.stringify(old) });
    // No answer at all (STOP was confirmed once already), but each message is marked as unanswered.
    const result = await t.huella.conversations.handleInbound(inbound(from, 'what do i bring'));
    expect(result.messages).toEqual([]);
    expect(result.unanswered).toBe('opted_out');
    const again = await t.huella.conversations.handleInbound(inbound(from, 'hello?'));
    expect(again.messages).toEqual([]);
    expect(again.unanswered).toBe('opted_out');
  });

  it('sends a person whose topic was removed from flows/ back to the menu', async () => {
    const from = '+15550100003';
    const gone = {
      status: 'active',
      value: 'active',
      context: {
        lang: 'en',
        node: 'no_such_topic',
        offered: ['no_such_topic'],
        asking: true,
        misses: 0,
        effects: [],
      },
    };
    await storeRaw(from, { rev: 1, v: MACHINE_VERSION, snap: JSON.stringify(gone) });
    const result = await t.huella.conversations.handleInbound(inbound(from, '1'));
    const firstChoice = t.huella.flows.nodes.get(t.huella.flows.menu)!.choices[0]!.to;
    expect(result.messages.join('\n')).toContain(
      t.huella.renderer.pack('en').nodes[firstChoice]!.text[0]!.slice(0, 30),
    );
  });

  it('starts over, instead of failing, when the stored snapshot is damaged', async () => {
    const from = '+15550100004';
    await storeRaw(from, { rev: 7, v: MACHINE_VERSION, snap: '{not json' });
    const result = await t.huella.conversations.handleInbound(inbound(from, 'hi'));
    expect(result.messages[0]).toBe(t.huella.renderer.render('en', [{ say: { system: 'intro' } }])[0]);
    expect(await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'rev')).toBe('8');
  });

  it('erases every key of the person on a confirmed DELETE, and the next message starts fresh', async () => {
    const from = '+15550100005';
    await t.huella.conversations.handleInbound(inbound(from, 'hi'));
    await t.huella.conversations.handleInbound(inbound(from, 'what do i bring'));
    const personId = t.huella.crypto.personId(from);
    expect((await allKeys(t.redis, `*${personId}*`)).length).toBeGreaterThanOrEqual(3);
    await t.huella.conversations.handleInbound(inbound(from, 'DELETE'));
    const done = await t.huella.conversations.handleInbound(inbound(from, 'yes'));
    expect(done.effects).toContain('erase');
    expect(await allKeys(t.redis, `*${personId}*`)).toEqual([]);
    const again = await t.huella.conversations.handleInbound(inbound(from, 'hi'));
    expect(again.messages[0]).toBe(t.huella.renderer.render('en', [{ say: { system: 'intro' } }])[0]);
  });

  it('keeps a conversation until its last appointment has passed, then for the retention period', async () => {
    const from = '+15550100007';
    await t.huella.conversations.handleInbound(inbound(from, 'hi'));
    const key = keys.conversation(t.huella.crypto.personId(from));
    const retention = 90 * 24 * 60 * 60;
    const plain = await t.redis.ttl(key);
    expect(plain).toBeGreaterThan(retention - 60);
    expect(plain).toBeLessThanOrEqual(retention);

    const far = new Date(testClock.now().getTime() + 200 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const snap = JSON.parse(t.huella.crypto.unseal((await t.redis.hget(key, 'snap'))!)) as {
      context: { appointments: unknown[] };
    };
    snap.context.appointments = [
      { id: 'a1', date: far, time: '10:00', zone: 'America/Chicago', place: '77002', version: 1 },
    ];
    await t.redis.hset(key, 'snap', t.huella.crypto.seal(JSON.stringify(snap)));
    await t.huella.conversations.handleInbound(inbound(from, 'what do i bring'));
    const extended = await t.redis.ttl(key);
    expect(extended).toBeGreaterThan(retention + 199 * 24 * 60 * 60);
    expect(extended).toBeLessThan(retention + 201 * 24 * 60 * 60);
  });

  it('stores no phone number or message text in the clear', async () => {
    const from = '+15550100006';
    await t.huella.conversations.handleInbound(
      inbound(from, 'my A-number is A123456789 and receipt IOE0123456789'),
    );
    const personId = t.huella.crypto.personId(from);
    for (const key of await allKeys(t.redis, `*${personId}*`)) {
      const type = await t.redis.type(key);
      const dump =
        type === 'hash'
          ? JSON.stringify(await t.redis.hgetall(key))
          : type === 'string'
            ? await t.redis.get(key)
            : JSON.stringify(await t.redis.zrange(key, '0', '-1'));
      expect(dump).not.toContain('5550100006');
      expect(dump).not.toContain('A123456789');
      expect(dump).not.toContain('IOE0123456789');
      expect(key).not.toContain('5550100006');
    }
  });
});

describe('someone who tells their appointment without asking for reminders', () => {
  const confirmText = (lang: string) => t.huella.renderer.pack(lang).system.appt_confirm.split('{')[0]!;

  it('is offered the reminders, starting from the date and time they gave', async () => {
    const from = '+15550100090';
    const first = await t.huella.conversations.handleInbound(
      inbound(from, `mi cita es el ${d15.es} a las 9 de la mañana en el centro`),
    );
    const asked = first.messages.join('\n');
    // Neither the date nor the time is asked again: what is missing is the place.
    expect(asked).toContain(t.huella.renderer.pack('es').system.appt_ask_place.slice(0, 20));
    const second = await t.huella.conversations.handleInbound(inbound(from, '77002'));
    expect(second.messages.join('\n')).toContain(confirmText('es'));
    expect(second.messages.join('\n')).toContain(d15.es);
  });

  it('in English too, with a typo', async () => {
    const from = '+15550100091';
    const first = await t.huella.conversations.handleInbound(
      inbound(from, `my apointment is ${later.en.toLowerCase()} at 2pm`),
    );
    expect(first.messages.join('\n')).toContain(
      t.huella.renderer.pack('en').system.appt_ask_place.slice(0, 20),
    );
    const second = await t.huella.conversations.handleInbound(inbound(from, 'Texas'));
    expect(second.messages.join('\n')).toContain(confirmText('en'));
  });

  it('is answered as before when the message has no time or is a question', async () => {
    const from = '+15550100092';
    const r = await t.huella.conversations.handleInbound(inbound(from, 'what do I bring to my appointment'));
    expect(r.messages.join('\n')).toContain(t.huella.renderer.pack('en').nodes.bring!.text[0]!.slice(0, 20));
  });

  it('is asked whose appointment it is when a child is named, keeping the date, time and city', async () => {
    const from = '+15550100094';
    const es = t.huella.renderer.pack('es').system;
    const first = await t.huella.conversations.handleInbound(
      inbound(from, `me pueden recordar la cita de mi hijo? es el ${d10.es} a las 3 de la tarde en Miami`),
    );
    expect(first.messages.at(-1)).toBe(es.appt_ask_first_name);
    const second = await t.huella.conversations.handleInbound(inbound(from, 'Kevin'));
    expect(second.messages.join('\n')).toMatch(
      new RegExp(`${re(d10.es)}( de \\d{4})? a las 3:00 p\\. m\\., Miami, FL\\.`),
    );
  });

  it('is not asked about reminders for an appointment that has passed or that they cannot go to', async () => {
    const es = t.huella.renderer.pack('es');
    const en = t.huella.renderer.pack('en');
    const missed = await t.huella.conversations.handleInbound(
      inbound(
        '+15550100095',
        'tenia la cita de las huellas el martes pasado a las 9 y no pude ir, me van a negar el asilo???',
      ),
    );
    expect(missed.messages.join('\n')).not.toContain(es.system.appt_ask_place.slice(0, 20));
    expect(missed.messages.join('\n')).not.toContain(es.system.appt_confirm.split('{')[0]!);
    const cannot = await t.huella.conversations.handleInbound(
      inbound('+15550100096', 'my appointment is tomorrow at 3 and i cant go, can i do it online'),
    );
    expect(cannot.messages.join('\n')).not.toContain(en.system.appt_ask_place.slice(0, 20));
  });

  it('corrects the appointment just saved from the next message, through the stored conversation', async () => {
    const from = '+15550100098';
    const send = sender(from);
    // Two days of one month, ten apart: "wait its dec 9 not 19".
    const early = firstDay(17, (d) => d.at.plus({ days: 10 }).month === d.at.month);
    const late = dayAhead(early.at.diff(dayAhead(0).at, 'days').days + 10);
    await send(`remind me my appt ${late.enShort} 9am 60601`);
    const saved = await send('yes');
    expect(saved.messages.join('\n')).toContain(late.en);
    const corrected = await send(`wait its ${early.enShort} not ${late.day}. sorry`);
    expect(corrected.messages.join('\n')).toMatch(
      new RegExp(`${re(early.en)}(, \\d{4})? at 9:00 AM, ZIP code 60601\\. Is that right\\?`),
    );
  });

  it('takes "2" at the read-back as "No, change it", through the stored conversation', async () => {
    // Round 9: the stored conversation came back with the menu's choices, and "2" answered "No
    // notice yet" instead of the "2 No, change it" on screen.
    const from = 'whatsapp:+15550100131';
    const send = sender(from);
    await send('kiero q me recuerde mi cita');
    await send(`el ${d15.es} a las 8 de la mañana`);
    const read = await send('nueva york 11201');
    expect(read.messages.join('\n')).toContain(confirmText('es'));
    const two = await send('2');
    expect(two.messages).toEqual([t.huella.renderer.pack('es').system.appt_fix_ask]);
    expect((await send('a las 9')).messages.join('\n')).toMatch(/a las 9:00 a\. m\., código postal 11201/);
    // An answer that is itself a choice ("O elija uno:") keeps its numbers, and the date is kept.
    const lost = 'whatsapp:+15550100132';
    await t.huella.conversations.handleInbound(inbound(lost, 'recordarme'));
    await t.huella.conversations.handleInbound(inbound(lost, `${d15.es} 9am`));
    const unsure = await t.huella.conversations.handleInbound(inbound(lost, 'no se donde aplique'));
    const shown = unsure.messages.join('\n');
    expect(shown).toMatch(/\n1 .*\n2 /s);
    expect(shown).not.toContain(t.huella.renderer.pack('es').system.appt_ask_place);
    // "1 Con USCIS" leads to the next question of that topic, still with its numbers.
    const picked = await t.huella.conversations.handleInbound(inbound(lost, '1'));
    expect(picked.messages.join('\n')).toMatch(/\n1 .*\n2 /s);
    // The office, told then, goes on with the date given before.
    const place = await t.huella.conversations.handleInbound(inbound(lost, 'es en houston'));
    expect(place.messages.join('\n')).toContain(`${d15.es} a las 9:00 a. m., Houston, TX`);
  });

  it("keeps the appointment being told when another person's comes before it is saved", async () => {
    // Round 9: the grandmother's December 3 was replaced by the grandson's December 10, and a
    // man's own December 3 by his wife's "mañana a las 8", without a word.
    const es = t.huella.renderer.pack('es').system;
    const grandson = 'whatsapp:+15550100133';
    const send = (body: string) => t.huella.conversations.handleInbound(inbound(grandson, body));
    await send(`mi abuela tiene cita de huellas el ${d3.es} a las 9:30`);
    // Her grandmother's: her first name is asked first (blind try 24).
    await send('se llama Carmen');
    expect((await send('es en la oficina de miami')).messages.join('\n')).toContain(`${d3.es} a las 9:30`);
    const mine = await send(`ok. y yo tmb tengo cita pero la mia es el ${d10.es} a las 2 de la tarde`);
    expect(mine.messages[0]).toBe(es.appt_one_at_a_time);
    expect(mine.messages.at(-1)).toContain(`${d3.es} a las 9:30 a. m., Miami, FL. ¿Es correcto?`);
    const man = '+15550100134';
    await t.huella.conversations.handleInbound(inbound(man, `mi cita de huellas es el ${d3.es}`));
    const wife = await t.huella.conversations.handleInbound(
      inbound(man, 'y mi esposa tiene la suya mañana a las 8am tmb en phoenix'),
    );
    expect(wife.messages[0]).toBe(es.appt_one_at_a_time);
    expect(wife.messages.at(-1)).toMatch(new RegExp(`^¿A qué hora es la cita del ${re(esLong(d3))}`));
  });

  it('collects the pasted notice when the person asks for reminders in words after the offer', async () => {
    // Round 9: a pasted notice with a question got the answer and "Want reminders?"; "can u remind
    // me pls" then asked for the date again, and "yes" found none.
    const from = '+15550100135';
    const send = sender(from);
    await send('hola');
    // A day about a year ahead that reads two ways written with numbers, both still ahead.
    const two = firstDay(381, (d) => {
      const swapped = d.at.set({ month: d.day, day: d.at.month });
      return d.day <= 12 && d.day !== d.at.month && swapped > dayAhead(1).at;
    });
    const pasted = await send(
      `i got this letter what do i do\nASC APPOINTMENT NOTICE\nAPPLICATION SUPPORT CENTER\nUSCIS DALLAS\n7701 N STEMMONS FWY STE 100\nDALLAS TX 75247\nDate: ${two.at.toFormat('MM/dd/yyyy')}  Time: 10:00 AM`,
    );
    expect(pasted.messages.at(-1)).toContain(t.huella.renderer.pack('en').system.appt_offer.slice(0, 20));
    // The pasted date reads two ways: asked which, then read back with the time and ZIP code pasted.
    const asked = await send('can u remind me pls');
    expect(asked.messages.join('\n')).toMatch(new RegExp(`^Is the date ${re(enLong(two))}(, \\d{4})? or`));
    expect((await send('1')).messages.join('\n')).toMatch(
      new RegExp(`${re(two.en)}(, \\d{4})? at 10:00 AM, ZIP code 75247\\. Is that right\\?`),
    );
  });

  it('takes the new date given on the phone as an appointment, in the middle of the rescheduling steps', async () => {
    // Round 9: "listo ya llame me dieron para el 14 de diciembre 11am orlando 32810" got the
    // calling steps again, and nothing was saved.
    const from = 'whatsapp:+15550100136';
    const send = sender(from);
    await send('necesito cambiar mi cita mi hija esta enferma');
    await send('por telefono');
    const told = await send(`listo ya llame me dieron para el ${d14.es} 11am orlando 32810`);
    expect(told.messages.join('\n')).toMatch(
      new RegExp(
        `${re(d14.es)}(?: de \\d{4})? a las 11:00 a\\. m\\., código postal 32810\\. ¿Es correcto\\?`,
      ),
    );
  });

  it('takes a filing date sent as the answer to "Want a text every week?" as a yes, with the date', async () => {
    // Round 10: "aplique en marzo" and "hace como 4 meses" got "Reply with one of these numbers".
    const rough = await t.huella.conversations.handleInbound(inbound('+15550100137', 'aviso semanal'));
    expect(rough.messages.join('\n')).toContain('cada semana');
    const march = await t.huella.conversations.handleInbound(inbound('+15550100137', 'aplique en marzo'));
    expect(march.effects).toEqual(expect.arrayContaining(['weekly', 'milestones']));
    expect(march.messages.join('\n')).toMatch(/Tomé el \p{L}+ \d+ de marzo/u);
    await t.huella.conversations.handleInbound(inbound('+15550100138', 'weekly reminder'));
    const exact = await t.huella.conversations.handleInbound(inbound('+15550100138', 'i applied on june 3'));
    expect(exact.effects).toEqual(expect.arrayContaining(['weekly', 'milestones']));
    expect(exact.messages.join('\n')).toMatch(/June 3/);
  });

  it("keeps her own 8:00 when her husband's time is corrected before hers is saved", async () => {
    // Round 10: "perdon la de el es a las 9 no a las 9:30" changed her own 8:00 to 9:00.
    const from = 'whatsapp:+15550100139';
    const send = sender(from);
    await send('hola buenas');
    await send(
      `tengo la sita de huellas yo y mi esposo y mi hija la mia es el ${d3.es} a las 8 de la mañana y la de mi esposo el mismo dia a las 9:30 y la de la niña el ${d4.es} a las 10`,
    );
    const his = await send('perdon la de el es a las 9 no a las 9:30');
    expect(his.messages[0]).toBe(t.huella.renderer.pack('es').system.appt_one_at_a_time);
    await send('yo');
    const place = await send('y las 3 son en la misma oficina en 5880 NW 183rd St Hialeah');
    expect(place.messages.join('\n')).toMatch(
      new RegExp(`${re(d3.es)}(?: de \\d{4})? a las 8:00 a\\. m\\., Hialeah, FL`),
    );
  });

  it('takes "they gave me a new date dec 14 at 1pm" as an appointment told when none is saved', async () => {
    const r = await t.huella.conversations.handleInbound(
      inbound('+15550100100', `they gave me a new date ${d14.enShort} at 1pm same office`),
    );
    expect(r.messages.join('\n')).toContain(t.huella.renderer.pack('en').system.appt_ask_place.slice(0, 20));
  });

  it('takes a message that is only a date as the appointment told, unless it is many months ahead', async () => {
    // About 40 days ahead, a day that reads one way only in numbers (3/5 would be asked about).
    const soon = firstDay(40, (d) => d.day > 12 || d.day === d.at.month).at.toFormat('M/d/yyyy');
    const r = await t.huella.conversations.handleInbound(inbound('+15550100099', soon));
    expect(r.messages.join('\n')).toContain(t.huella.renderer.pack('en').system.appt_ask_time.split('{')[0]!);
    // "oct 1" nine months ahead is more likely when they applied: not collected as an appointment.
    const far = DateTime.fromJSDate(testClock.now()).plus({ months: 9 }).toFormat('LLL d');
    const f = await t.huella.conversations.handleInbound(inbound('+15550100080', far));
    expect(f.messages.join('\n')).not.toContain(
      t.huella.renderer.pack('en').system.appt_ask_time.split('{')[0]!,
    );
    // Said with the word, it is one.
    const told = await t.huella.conversations.handleInbound(
      inbound('+15550100079', `my appointment is ${far} at 9am`),
    );
    expect(told.messages.join('\n')).toContain(
      t.huella.renderer.pack('en').system.appt_ask_place.slice(0, 20),
    );
  });

  it('takes a date, time and place told in a sentence without the word "appointment" as the appointment', async () => {
    const from = '+15550100082';
    const send = sender(from);
    await send('hola');
    const told = await send('el jueves que viene a las 8 en la oficina de dallas');
    expect(told.messages.join('\n')).toMatch(
      /^Su cita: jueves \d+ de \S+( de \d{4})? a las 8:00 a\. m\., Dallas, TX\./,
    );
    // Written by ear, with the word: "la sita".
    const byEar = await t.huella.conversations.handleInbound(
      inbound('+15550100081', `la sita es el ${d9.es} a las 8 en houston`),
    );
    expect(byEar.messages.join('\n')).toMatch(
      new RegExp(`Su cita: ${re(esLong(d9))}( de \\d{4})? a las 8:00 a\\. m\\., Houston, TX\\.`),
    );
  });

  it("never changes or cancels the person's own appointment for what is said about someone else's", async () => {
    const from = '+15550100078';
    const send = async (body: string) =>
      (await t.huella.conversations.handleInbound(inbound(from, body))).messages.join('\n');
    const list = async () =>
      (await t.huella.conversations.appointmentsOf(t.huella.crypto.personId(from))).map(
        (a) => `${a.name ?? 'me'} ${a.time}`,
      );
    await send(`i got my biometrics letter, appt is ${d9.enShort} at 8am in houston`);
    await send('yes');
    await send('ok');
    // "actually my wife's is at 11": hers, to add; his stays at 8.
    expect(await send('actually my wifes is at 11 not 9:30')).toContain(
      t.huella.renderer.pack('en').system.appt_ask_first_name.slice(0, 30),
    );
    expect(await send('Rosa')).toContain(t.huella.renderer.pack('en').system.appt_need_date.slice(0, 20));
    // "same day", "same office": from the appointment saved last.
    expect(await send('same day')).toContain(t.huella.renderer.pack('en').system.appt_ask_place.slice(0, 20));
    expect(await send('same office')).toMatch(
      new RegExp(`^Rosa's appointment: ${re(enLong(d9))} at 11:00 AM, Houston, TX\\.`),
    );
    await send('yes');
    expect(await list()).toEqual(['me 08:00', 'Rosa 11:00']);
    // "cancel my son's one": none saved for him; the list, nothing cancelled.
    await send('list');
    expect(await send('cancel my sons one, the 10:30')).toContain('Your appointments:');
    expect(await list()).toEqual(['me 08:00', 'Rosa 11:00']);
    await send('0');
    // "Rosa's is at 11:30 not 11": hers changes; "cancel rosa" cancels hers only.
    expect(await send("Rosa's is at 11:30 not 11")).toMatch(
      new RegExp(`^Rosa's appointment: ${re(enLong(d9))} at 11:30 AM`),
    );
    await send('yes');
    expect(await list()).toEqual(['me 08:00', 'Rosa 11:30']);
    await send('my appointments');
    expect(await send('cancel rosa')).toMatch(
      new RegExp(`^For Rosa:\\nDone\\. I took ${re(enLong(d9))} at 11:30 AM off my list`),
    );
    expect(await list()).toEqual(['me 08:00']);
    // "borrar la de carlos": nobody called Carlos; nothing cancelled.
    await send('borrar la de carlos');
    expect(await list()).toEqual(['me 08:00']);
  });

  it('takes "cancel" at the read-back on WhatsApp as "do not save it", and on SMS as STOP', async () => {
    const wa = (body: string) =>
      t.huella.conversations.handleInbound({
        ...inbound('whatsapp:+15550100077', body),
        channel: 'whatsapp' as const,
      });
    await wa(`remind me ${d9.enShort} at 9am 77002`);
    const cancelled = await wa('cancel');
    expect(cancelled.effects).not.toContain('optOut');
    expect(cancelled.messages.join('\n')).not.toContain(t.huella.renderer.pack('en').system.stop_confirm);
    expect(cancelled.messages[0]).toContain(t.huella.renderer.pack('en').system.appt_quit);
    expect((await wa('what do i bring')).messages.length).toBeGreaterThan(0);
    // At "what do you want to do?" with one picked, "cancel" turns off that one's reminders.
    await wa(`remind me ${d9.enShort} at 9am 77002`);
    await wa('yes');
    await wa('my appointments');
    await wa('1');
    expect((await wa('cancel')).messages[0]).toMatch(
      new RegExp(`^Done\\. I took ${re(enLong(d9))} at 9:00 AM off my list`),
    );
    const sms = (body: string) => t.huella.conversations.handleInbound(inbound('+15550100076', body));
    await sms(`remind me ${d9.enShort} at 9am 77002`);
    expect((await sms('cancel')).effects).toContain('optOut');
  });

  it('saves one appointment at a time when a message holds several, and asks about each told in turn', async () => {
    const from = '+15550100072';
    const send = async (body: string) =>
      (await t.huella.conversations.handleInbound(inbound(from, body))).messages.join('\n');
    const first = await send(
      `me and my wife and my son all have fingerprint appts, mine ${d1.enShort} 9am, hers ${d1.enShort} 9:30, my son ${d3.enShort} at 1pm, austin tx`,
    );
    const en = t.huella.renderer.pack('en').system;
    // Theirs first ("mine"), with the place said once for all of them; the others are kept.
    expect(first).toContain(en.appt_others_kept);
    expect(first).toMatch(new RegExp(`Your appointment: ${re(enLong(d1))} at 9:00 AM, Austin, TX\\.`));
    const hers = await send('yes');
    expect(hers).toMatch(new RegExp(`Now the next one you told me: ${re(enLong(d1))} at 9:30 AM\\.`));
    expect(hers).toContain(en.appt_ask_first_name);
    expect(await send('Rosa')).toMatch(
      new RegExp(`^Rosa's appointment: ${re(enLong(d1))} at 9:30 AM, Austin, TX\\.`),
    );
    const his = await send('yes');
    expect(his).toMatch(new RegExp(`Now the next one you told me: ${re(enLong(d3))} at 1:00 PM\\.`));
    expect(await send('Leo')).toMatch(
      new RegExp(`^Leo's appointment: ${re(enLong(d3))} at 1:00 PM, Austin, TX\\.`),
    );
    await send('yes');
    const saved = await t.huella.conversations.appointmentsOf(t.huella.crypto.personId(from));
    expect(saved.map((a) => `${a.name ?? 'me'} ${a.date} ${a.time}`)).toEqual([
      `me ${d1.iso} 09:00`,
      `Rosa ${d1.iso} 09:30`,
      `Leo ${d3.iso} 13:00`,
    ]);
    // One time alone: no such line.
    const one = await t.huella.conversations.handleInbound(
      inbound('+15550100071', `remind me ${d1.enShort} at 9am austin tx`),
    );
    expect(one.messages).not.toContain(en.appt_one_at_a_time);
  });

  it('says to call USCIS now when the appointment is today and they cannot go', async () => {
    for (const [from, body, lang] of [
      ['+15550100075', 'hello my appointment is TODAY and I cant go my kid is sick', 'en'],
      ['+15550100074', 'ayuda mi cita es HOY a las 2 y estoy en el hospital', 'es'],
      ['+15550100073', 'tengo la sita oy y no puedo ir', 'es'],
    ] as const) {
      const said = (await t.huella.conversations.handleInbound(inbound(from, body))).messages.join('\n');
      expect(said, body).toContain(t.huella.renderer.pack(lang).nodes.rs_phone!.text[0]!.slice(0, 30));
      expect(said, body).not.toContain(t.huella.renderer.pack(lang).system.appt_offer);
      // Online does not work within 12 hours: not offered.
      expect(said, body).not.toContain(
        t.huella.renderer.pack(lang).nodes.rs_phone!.choiceLabels.rs_online ?? 'online instead',
      );
      expect(said, body).not.toMatch(/\n1 /);
    }
  });

  it('is answered first, then offered reminders, when the message with the date asks something', async () => {
    const en = t.huella.renderer.pack('en');
    const r = await t.huella.conversations.handleInbound(
      inbound('+15550100097', 'My appointment of biometric is tomorrow 8am. What i need to bring'),
    );
    const said = r.messages.join('\n');
    expect(said).toContain(en.nodes.bring!.text[0]!.slice(0, 20));
    expect(said).toContain(en.system.appt_offer);
    expect(said).not.toContain(en.system.appt_ask_place.slice(0, 20));
    // "yes" to the offer collects the appointment from what that message told.
    const yes = await t.huella.conversations.handleInbound(inbound('+15550100097', 'yes'));
    expect(yes.messages.join('\n')).toContain(en.system.appt_ask_place.slice(0, 20));
  });

  it('reads "it is 13 not 12" at the read-back of the 12th as the day put right, not 1 PM (blind try 24)', async () => {
    // A day from the 2nd to the 27th, so that the day after is in the same month; at 9:30, an hour other than the day.
    const day = firstDay(10, (d) => d.day >= 2 && d.day <= 27 && d.day !== 9);
    const next = dayAhead(Math.round(day.at.diff(dayAhead(0).at, 'days').days) + 1);
    const from = '+15550100095';
    await t.huella.conversations.handleInbound(
      inbound(from, `my appointment is ${day.en} at 9:30am in 19106, remind me`),
    );
    const fixed = await t.huella.conversations.handleInbound(
      inbound(from, `wait sorry, i look my note, it is ${next.day} not ${day.day}. same time`),
    );
    expect(fixed.messages.at(-1)).toMatch(new RegExp(`^Your appointment: ${re(enLong(next))} at 9:30 AM`));
  });

  it('offers no reminders for a day the person says they cannot go to (blind try 24)', async () => {
    // "mi cita es mañana… mi niño tiene fiebre y no tengo quien me lleve q hago": the way to change
    // it, and no "want reminders for it?" for the day they are moving.
    const en = t.huella.renderer.pack('en');
    const sick = await t.huella.conversations.handleInbound(
      inbound(
        '+15550100096',
        'My appointment of biometric is tomorrow 8am but i am with fever very sick. What i can do',
      ),
    );
    expect(sick.messages.join('\n')).toContain(en.nodes.reschedule!.text[0]!.slice(0, 20));
    expect(sick.messages.join('\n')).not.toContain(en.system.appt_offer);
    // Asked for in so many words, reminders are still collected.
    const asked = await t.huella.conversations.handleInbound(inbound('+15550100096', 'remind me anyway'));
    expect(asked.messages.join('\n')).toContain(en.system.appt_ask_place.slice(0, 20));
  });

  it('is not asked for a ZIP code when the message with the date asks something without a "?" (round 11)', async () => {
    // "my fingerprint appt is tomorow at 9am what do i bring" got only the ZIP code question.
    for (const [from, body, lang] of [
      ['+15550100201', 'my fingerprint appt is tomorow at 9am what do i bring', 'en'],
      ['+15550100202', `mi cita es el ${d3.es} a las 9 que llevo`, 'es'],
    ] as const) {
      const pack = t.huella.renderer.pack(lang);
      const said = (await t.huella.conversations.handleInbound(inbound(from, body))).messages.join('\n');
      expect(said, body).not.toContain(pack.system.appt_ask_place.slice(0, 20));
      expect(said, body).toContain(pack.system.appt_offer);
    }
    // Round 11: a long voice-to-text message that names her son and asks what to do got only
    // "Is this appointment for you, or for someone else?".
    const maria = '+15550100204';
    const long = await t.huella.conversations.handleInbound(
      inbound(
        maria,
        `hello good morning my name is maria i got the letter from immigration last week that says I have to go for the fingerprints on ${d10.en} at 11 in the morning in the office in Orlando but the problem is I work that day and my boss doesnt let me take off and also I want to know if I can bring my son he is 12 what should I do thank you`,
      ),
    );
    const en = t.huella.renderer.pack('en');
    expect(long.messages.join('\n')).not.toContain(en.system.appt_ask_name.slice(0, 30));
    // She works that day: no reminders offered for it (blind try 24); asked for, her December 10
    // is read back (not "last week").
    expect(long.messages.join('\n')).not.toContain(en.system.appt_offer);
    expect(
      (await t.huella.conversations.handleInbound(inbound(maria, 'remind me of it please'))).messages.at(-1),
    ).toMatch(new RegExp(`^Your appointment: ${re(enLong(d10))} at 11:00 AM, Orlando, FL\\.`));
    // Asking for reminders in so many words still collects it.
    const asked = await t.huella.conversations.handleInbound(
      inbound('+15550100203', `can you remind me of my appointment ${d3.enShort} at 9am in houston`),
    );
    expect(asked.messages.at(-1)).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(d3))} at 9:00 AM, Houston, TX`),
    );
  });

  it('asks "Is that right?" again after a question about the reminders, and "1" then saves (round 11)', async () => {
    // "recuerdame un dia antes porfa" at the read-back was answered, and the menu left on screen
    // before made the next "1" its "1 Sobre la cita": the appointment was never saved.
    const from = '+15550100205';
    const send = (body: string) => t.huella.conversations.handleInbound(inbound(from, body));
    await send(`recuerdame mi cita el ${d9.es} a las 9 en miami`);
    const asked = await send('recuerdame un dia antes porfa');
    expect(asked.messages[0]).toMatch(/^Le escribo 3 días, 1 día y 3 horas antes/);
    expect(asked.messages.at(-1)).toMatch(
      new RegExp(`^Su cita: ${re(esLong(d9))} a las 9:00 a\\. m\\., Miami, FL`),
    );
    const saved = await send('1');
    expect(saved.messages[0]).toMatch(/^Listo\. Le escribiré/);
    expect(await t.huella.conversations.appointmentsOf(saved.personId)).toHaveLength(1);
  });

  it("collects the person's own first when a message names them and their family (round 12)", async () => {
    // Only "Ana's" was saved from "for me and my wife ana and my 2 kids…", and nothing said so.
    const send = sender('+15550100206');
    const first = await send(
      `remind me for me and my wife ana and my 2 kids luis and maria all on ${d11.enShort} at 10am 11201`,
    );
    expect(first.messages).toContain(t.huella.renderer.pack('en').system.appt_one_at_a_time);
    expect(first.messages.at(-1)).toMatch(new RegExp(`^Your appointment: ${re(enLong(d11))} at 10:00 AM`));
    await send('1');
    expect((await send(`my wife ana ${d11.enShort} 10am same office`)).messages.at(-1)).toMatch(
      new RegExp(`^Ana's appointment: ${re(enLong(d11))} at 10:00 AM`),
    );
  });

  it('is told how to change it, not asked for a ZIP code, when the appointment is tomorrow and they cannot go', async () => {
    const from = '+15550100093';
    const r = await t.huella.conversations.handleInbound(
      inbound(from, 'la cita es mañana a las 10 y no puedo ir'),
    );
    const said = r.messages.join('\n');
    expect(said).toContain(t.huella.renderer.pack('es').nodes.reschedule!.text[0]!.slice(0, 20));
    expect(said).not.toContain(t.huella.renderer.pack('es').system.appt_ask_place.slice(0, 20));
  });
});

describe('someone who sends again the appointment already saved', () => {
  /** About ten days after the message, in the words people type: "December 5", "5 de diciembre". */
  const tenDaysOn = (lang: 'en' | 'es') => dayAhead(10)[lang];
  const alreadySaved = (lang: string) =>
    t.huella.renderer.pack(lang).system.appt_already_saved.split('{')[0]!;
  const editAsk = (lang: string) => t.huella.renderer.pack(lang).system.appt_edit_ask;

  it('is told it is the one saved, and how to change it, each time, never "What is the new date?"', async () => {
    const send = sender('+15550102001');
    const day = tenDaysOn('en');
    await send(`remind me of my appointment ${day} at 6:22 PM in 60601`);
    const saved = await send('yes');
    expect(saved.effects).toContain('schedule');
    for (let i = 0; i < 5; i++) {
      const again = await send(`${day} at 6:22 PM`);
      expect(again.messages, `time ${i + 1}`).toHaveLength(1);
      expect(again.messages[0], `time ${i + 1}`).toContain(alreadySaved('en'));
      expect(again.messages[0]).toContain('6:22 PM');
      expect(again.messages[0]).not.toContain(editAsk('en'));
      expect(again.effects).not.toContain('schedule');
    }
    // A nod, then the same again: the same answer; then a new time still corrects it.
    expect((await send('ok')).messages.join('\n')).not.toContain(editAsk('en'));
    expect((await send(`${day} at 6:22 PM`)).messages[0]).toContain(alreadySaved('en'));
    const moved = await send(`${day} at 7:30 PM`);
    expect(moved.messages.join('\n')).toMatch(/7:30 PM, ZIP code 60601\. Is that right\?/);
  });

  it('is told it is the one saved when telling it again in a sentence, but not for someone else', async () => {
    const send = sender('+15550102003');
    const day = tenDaysOn('en');
    await send(`remind me of my appointment ${day} at 6:22 PM in 60601`);
    await send('yes');
    for (const again of [
      `my appointment is ${day} at 6:22 PM`,
      `my appointment is ${day} at 6:22 PM`,
      `remind me ${day} at 6:22 PM`,
    ]) {
      const r = await send(again);
      expect(r.messages, again).toHaveLength(1);
      expect(r.messages[0], again).toContain(alreadySaved('en'));
    }
    const wife = await send(`my wife's appointment is ${day} at 6:22 PM too`);
    expect(wife.messages.join('\n')).not.toContain(alreadySaved('en'));
    expect(wife.effects).not.toContain('schedule');
  });

  it('in Spanish, and when "What is the new date or time?" is answered with the saved one', async () => {
    const send = sender('+15550102002');
    const day = tenDaysOn('es');
    await send(`recuérdame mi cita el ${day} a las 9 de la mañana en 60601`);
    await send('si');
    expect((await send(`el ${day} a las 9 de la mañana`)).messages[0]).toContain(alreadySaved('es'));
    // Through "mis citas": change it, then the same date and time.
    await send('mis citas');
    await send('1');
    expect((await send('1')).messages).toEqual([editAsk('es')]);
    for (let i = 0; i < 3; i++) {
      const same = await send(`${day} 9am`);
      expect(same.messages, `time ${i + 1}`).toHaveLength(1);
      expect(same.messages[0], `time ${i + 1}`).toContain(alreadySaved('es'));
    }
  });
});

describe('someone answering "How long ago was your appointment?"', () => {
  it('is read as the span told, not as a date to save or a topic, in English and Spanish', async () => {
    const cases: [string, string, string][] = [
      ['hola', 'hace 2 meses, más de unas semanas', 'missed_old'],
      ['hola', 'como 3 semanas', 'missed_old'],
      ['hola', 'unos dias', 'missed_recent'],
      ['hi', '6 weeks', 'missed_old'],
      ['hi', 'like 3 weeks ago', 'missed_old'],
      ['hi', '2 months, more than a few weeks', 'missed_old'],
      ['hi', '10 days', 'missed_recent'],
    ];
    for (const [i, [greeting, answer, node]] of cases.entries()) {
      const send = sender(`+1555010300${i}`);
      await send(greeting);
      await send('5');
      const r = await send(answer);
      const lang = greeting === 'hola' ? 'es' : 'en';
      expect(r.messages.join('\n'), answer).toContain(
        t.huella.renderer.pack(lang).nodes[node]!.text[0]!.slice(0, 30),
      );
      expect(r.effects, answer).not.toContain('schedule');
      expect(
        await t.huella.conversations.appointmentsOf(t.huella.crypto.personId(`+1555010300${i}`)),
      ).toEqual([]);
    }
  });
});

describe('a question asked first, through the store', () => {
  it('keeps the day told in the first message for the answer after a "no" (saved and read back)', async () => {
    const send = sender('+15550103101');
    const en = t.huella.renderer.pack('en');
    const first = await send('my biometrics appointment was yesterday');
    expect(first.messages.join('\n')).toContain(en.system.asked_went);
    const no = await send('no');
    expect(no.messages.join('\n')).toContain(en.nodes.missed_recent!.text[0]!.slice(0, 30));
  });
});

describe('the filing told in the first message, through the store', () => {
  it('answers "more than 3 months?" two messages later (kept in the stored conversation)', async () => {
    const send = sender('+15550103102');
    const es = t.huella.renderer.pack('es');
    await send('hola yo aplique el asilo hace como 5 meses y nunca me llego la carta de las huellas q hago');
    await send('con uscis, lo mande por correo');
    const no = await send('no tampoco, nada de nada');
    expect(no.messages.join('\n')).toContain(es.nodes.nm_call_receipt!.text[0]!.slice(0, 30));
  });
});

import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { partsOf, said, talkIn } from '../support/dialogue.js';

/** Blind tries 31 to 33: the classes their testers found, with the messages that showed them and others. */

describe('blind tries 31 to 33', () => {
  const missedDaysAgo = {
    en: 'i had my fingerprint appointment 10 days ago and i didnt go because my son was sick',
    es: 'tenia mi cita de huellas hace 10 dias y no fui porque mi hijo se enfermo',
    fr: "j'avais mon rdv d'empreintes il y a 10 jours et j'y suis pas allé, mon fils était malade",
  } as const;

  it('after a missed date, the menu still offers all its topics (changing the date and the missed one included)', () => {
    for (const lang of ['en', 'es', 'fr'] as const) {
      const snap = talkIn(lang, missedDaysAgo[lang], '0');
      const menu = partsOf(snap).find((p) => 'node' in p.say && p.say.node === 'menu');
      expect(menu?.choices?.to, lang).toEqual(
        expect.arrayContaining(['reschedule', 'missed', 'work_permit']),
      );
      expect(menu?.choices?.to, lang).toHaveLength(9);
    }
  });

  it("a spouse's appointment to change, after one's own missed date: how to change it, not the missed one's steps", () => {
    for (const [lang, text] of [
      ['en', 'how do we change the date? its for my wife'],
      ['es', 'como se cambia la fecha de la cita? es para mi esposa'],
      ['fr', 'comment on change la date? c pour ma femme'],
    ] as const) {
      expect(said(talkIn(lang, missedDaysAgo[lang], text)), `${lang}: ${text}`).toEqual(['node:reschedule']);
    }
  });

  it('"i dont want to change it, i ask if i can go in with my phone": the phone question, not the ways to change it', () => {
    for (const [lang, first, text] of [
      [
        'en',
        `my fingerprints are ${dayAhead(1).en} at 8, is it safe to go?`,
        'no no i dont want to change it. i ask if i can go inside with my phone',
      ],
      [
        'es',
        `mi cita de huellas es el ${dayAhead(1).es} a las 8, es seguro ir?`,
        'no no quiero cambiar la cita. pregunto si puedo entrar con mi celular a la oficina',
      ],
      [
        'fr',
        `mon rdv empreintes c le ${dayAhead(1).fr} à 8h, c'est sûr d'y aller?`,
        'non non je veux pas changer le rdv. je demande si je peux entrer avec mon téléphone',
      ],
    ] as const) {
      expect(said(talkIn(lang, first, text))[0], `${lang}: ${text}`).toBe('node:bring_phone');
    }
  });

  it('a second question in its own sentence is offered under the first answer ("…is it safe? and if i bring my phone they take it?")', () => {
    const snap = talkIn(
      'es',
      'tengo miedo de ir a la cita de huellas, es seguro ir? tengo miedo q ahi me agarre migra. y si llevo mi celular me lo quitan?',
    );
    expect(said(snap)).toContain('node:bio_afraid');
    const also = partsOf(snap).find((p) => 'system' in p.say && p.say.system === 'also_asked');
    expect(also?.choices?.to).toContain('bring_phone');
  });

  it('a time put right beside a relative who read the paper ("es a las 9:30 no a las 10:30. mi esposo leyo bien el papel"): the saved one corrected, no second appointment', () => {
    const day = dayAhead(30);
    const snap = talkIn(
      'es',
      `ya me llego la cita!! es el ${day.es} a las 10 y media en la oficina de san antonio tx 78216`,
      'si',
      'ay perdon me equivoque, es a las 9:30 no a las 10:30. mi esposo leyo bien el papel',
    );
    expect(said(snap)).toEqual(['appt_confirm']);
    expect(snap.context.draft).toMatchObject({ date: day.iso, time: '09:30', editing: expect.any(String) });
  });

  it('a task reminder with its time in many words ("remind me tomorrow at 9 in the morning to call uscis"): only appointments are reminded, nothing collected', () => {
    for (const [lang, text] of [
      ['en', 'can you remind me tomorrow at 9 in the morning to call uscis, today i am at work'],
      ['es', 'recuerdame mañana a las 9 de la mañana llamar a uscis, hoy estoy trabajando'],
      ['fr', "rappelle moi demain à 9h du matin d'appeler uscis, aujourd'hui je travaille"],
    ] as const) {
      const snap = talkIn(lang, text);
      const node = partsOf(snap).find((p) => 'node' in p.say && p.say.node === 'call_uscis');
      expect(node?.lead, `${lang}: ${text}`).toBe('reminds_only_appointments');
      expect(snap.context.draft, `${lang}: ${text}`).toBeUndefined();
    }
  });

  it('a person\'s language told beside a need ("she dont speak english… what we do") gets the need; Huella\'s languages asked still get their answer', () => {
    expect(
      said(
        talkIn(
          'en',
          'hello im texting for my mom she dont speak english. she have court case and the judge say she need fingerprints but she never get any letter. what we do',
        ),
      ).filter((s) => s !== 'intro'),
    ).toEqual(['node:nm_court_timing']);
    expect(said(talkIn('fr', 'tu parles quelles langues? mon mari parle juste espagnol'))).toContain(
      'languages_reply',
    );
  });

  it('"what number?" after the login-code steps that say to contact USCIS: the number to call', () => {
    for (const [lang, first, text] of [
      [
        'en',
        'the login code for my uscis account goes to my old phone number, i cant get in',
        'how i contact them, what number?',
      ],
      [
        'fr',
        'le code de uscis va a mon ancien numero, je peux pu rentrer dans mon compte',
        'ok pis le service client cest quel numero?',
      ],
      [
        'es',
        'el codigo de la cuenta de uscis me llega al numero viejo, no puedo entrar',
        'y como los contacto? que numero?',
      ],
    ] as const) {
      expect(said(talkIn(lang, first, text)), `${lang}: ${text}`).toEqual(['node:call_uscis']);
    }
  });

  it('a text asked for at 150 days, the filing day told: the weekly checks, which read that day; nothing saved as an appointment', () => {
    for (const [lang, text, yes] of [
      ['en', 'can you text me when its 150 days? i sent my asylum july 12', 'yes'],
      ['es', 'me puedes avisar cuando se cumplan los 150 dias? mande mi asilo el 12 de julio', 'si'],
      ['fr', 'tu peux me rappeler quand ca fait 150 jours? jai envoye mon asile le 12 juillet', 'oui'],
    ] as const) {
      const asked = talkIn(lang, text);
      expect(said(asked), `${lang}: ${text}`).toContain('node:weekly_optin');
      expect(asked.context.draft).toBeUndefined();
      expect(said(talkIn(lang, text, yes)), `${lang}: ${text}`).toContain('node:weekly_on');
    }
  });

  it('a relative\'s home named at "What ZIP code or state?" ("la lettre est chez mon frere"): the place, not another appointment', () => {
    const day = dayAhead(20);
    for (const [lang, first, text] of [
      [
        'fr',
        `mon rdv empreintes c le ${day.fr} a 8h, rappelle moi`,
        'c a Hyattsville dans le Maryland, le zip jsp, la lettre est chez mon frere',
      ],
      [
        'en',
        `my fingerprint appointment is ${day.en} at 8am, remind me`,
        'its in hyattsville maryland, i dont know the zip, the letter is at my brothers house',
      ],
    ] as const) {
      const snap = talkIn(lang, first, text);
      expect(said(snap), `${lang}: ${text}`).toEqual(['appt_confirm']);
      expect(snap.context.draft?.place).toBeDefined();
    }
  });

  it('fear told with the saved day at the list ("priez pour moi… jai tres peur demain"): comfort, not the saved one read back', () => {
    const snap = talkIn(
      'fr',
      `mon rdv empreintes c le ${dayAhead(1).fr} a 8h a hyattsville maryland, rappelle moi`,
      'oui',
      'mes rendez-vous',
      'ok merci. priez pour moi lol jai tres peur demain',
    );
    expect(said(snap)).toEqual(['node:distress']);
    expect(snap.context.draft).toBeUndefined();
  });

  it('blind try 32: "c\'est gratuit votre affaire? vous allez donner nos infos a ICE?" right after saving: what Huella costs and keeps, not the appointment\'s cost', () => {
    const snap = talkIn(
      'fr',
      `c'est pour ma maman, convocation le ${dayAhead(20).fr} a 14h a Columbus Ohio, rappelle nous`,
      'Aya',
      '1',
      "c'est gratuit votre affaire la? et vous allez donner nos infos a ICE ou bien?",
    );
    expect(snap.context.appointments).toHaveLength(1);
    expect(said(snap)).toEqual(['privacy_reply', 'free_reply']);
  });

  it('blind try 32: a yes to the reminders with a question ("Yes i want reminder. And what time i should reach there?"): the question answered, then the one offered read back', () => {
    const snap = talkIn(
      'en',
      `my biometrics appointment is ${dayAhead(12).en} at 9am in baltimore. my passport was taken by ice, what can i bring?`,
      'Thank you. Yes i want reminder. And what time i should reach there, 9 sharp or before?',
    );
    expect(said(snap)).toEqual(['node:bio_day', 'appt_confirm']);
    expect(snap.context.draft).toMatchObject({ date: dayAhead(12).iso, time: '09:00' });
  });

  it('blind try 32: "jveux pas celui de 3 jours avant, juste la veille" beside a time put right: the time corrected, no day read from the reminders', () => {
    const day = dayAhead(30);
    const snap = talkIn(
      'fr',
      `mon rdv empreintes c le ${day.fr} a 8h a brooklyn ny, rappelle moi`,
      'oui',
      'oups jme suis trompé cé 8h30 pas 8h. pis jveux pas celui de 3 jours avant, juste la veille c correct',
    );
    expect(said(snap)).toEqual(['appt_confirm']);
    expect(snap.context.draft).toMatchObject({ date: day.iso, time: '08:30' });
  });

  it('blind try 32: the month told with a count elsewhere ("sent it in <month> and i have 2 kids"; "in <month>. hearing is 2028") answers "more than 3 months?"', () => {
    const month = dayAhead(-150).at.setLocale('en').toFormat('LLLL').toLowerCase();
    expect(
      said(
        talkIn(
          'en',
          `i sent my asylum papers to uscis by mail in ${month} and i have 2 kids`,
          'no i dont have any receipt. nothing. i am worry they lost my papers',
        ),
      ),
    ).toEqual(['node:nm_call_receipt']);
    expect(
      said(
        talkIn(
          'en',
          'My case is in immigration court, the judge was tell me I need do fingerprint but I not receive any letter until now. what I can do please',
          `I submit I-589 in ${month}. hearing is ${dayAhead(800).at.year} i think`,
        ),
      ),
    ).toEqual(['node:nm_court_call']);
  });

  it('blind try 32 (Dominican Spanish): "mi mai" is the mother; "nada ta bien asi, guardala" saves; "ok recordarme" after "no la guardaste??" starts saving', () => {
    const day = dayAhead(40);
    const told = `ponme un recordatorio pa la cita de mi mai, e el ${day.es} a la 1 y media en brooklyn`;
    expect(said(talkIn('es', told))).toContain('appt_ask_first_name');
    const saved = talkIn('es', told, 'Rosa', 'nada ta bien asi, guardala');
    expect(said(saved)).toEqual(['appt_saved']);
    expect(saved.context.appointments.map((a) => [a.date, a.time.slice(0, 5), a.name])).toEqual([
      [day.iso, '13:30', 'Rosa'],
    ]);
    expect(said(talkIn('es', 'como que no la guardaste?? ok recordarme'))).toContain('appt_ask_date');
  });

  it("blind try 33: a fear of detention beside a question is that fear's answer, and only words of hurting oneself bring where to turn for it", () => {
    const afraid = talkIn(
      'es',
      'y q tengo q llevar a la cita de huellas? tengo miedo q me dejen detenido alla',
    );
    expect(said(afraid)).toContain('node:bio_afraid');
    expect(said(afraid)).not.toContain('self_harm_lead');
    const scared = partsOf(talkIn('en', 'im so scared and stressed about all this'));
    expect(scared.some((p) => p.lead === 'self_harm_lead')).toBe(false);
    const hurting = partsOf(talkIn('en', 'i cant do this anymore, i want to die'));
    expect(hurting.find((p) => 'node' in p.say && p.say.node === 'distress')?.lead).toBe('self_harm_lead');
    expect(said(talkIn('es', 'ok gracias. y lo q les escribo lo ve migracion? me da miedo'))).toContain(
      'privacy_reply',
    );
  });

  it('blind try 32: "c\'est le rdv de ma maman hein, pas le mien" at the read-back: "hein" is no name, and her name is asked', () => {
    const told = [
      `son rdv empreintes c le ${dayAhead(20).fr} a 14h a Columbus Ohio, rappelle nous`,
      "oui c'est ça mais c'est le rdv de ma maman hein, pas le mien",
    ];
    const snap = talkIn('fr', ...told);
    // Hers, not their own: her first name is asked before it is saved.
    expect(said(snap)).toEqual(['appt_ask_first_name']);
    expect(snap.context.appointments).toHaveLength(0);
    expect(talkIn('fr', ...told, 'Aya', '1').context.appointments.map((a) => a.name)).toEqual(['Aya']);
  });

  it('blind try 33: "I don\'t understand what you mean whose name" at the first-name question is no name; "we call tmrw" is the call\'s day, not the appointment\'s', () => {
    const day = dayAhead(25);
    const told = `my mom has her fingerprint appointment ${day.en} at 9am in houston, remind her`;
    const lost = talkIn('en', told, "I don't understand what you mean whose name");
    expect(said(lost)).toEqual(['appt_ask_first_name']);
    expect(lost.context.draft?.name).toBeUndefined();
    expect(
      talkIn('en', told, "I don't understand what you mean whose name", 'Rosa').context.draft?.name,
    ).toBe('Rosa');
    const call = talkIn(
      'en',
      'ok we call tmrw. can you remind my mom about her appointment? her name is Rosa',
    );
    expect(call.context.draft?.date).toBeUndefined();
  });

  it('blind try 33: "remind my mom about her appointment" asks her name ("about" is no name); "new date for my mom is …" moves hers', () => {
    const told = `can you remind my mom about her fingerprint appointment? ${dayAhead(20).en} at 9am in los angeles`;
    expect(said(talkIn('en', told))).toContain('appt_ask_first_name');
    const moved = talkIn(
      'en',
      told,
      'Rosa',
      'yes',
      `update we called!! new date for my mom is ${dayAhead(45).en} at 1pm same office`,
    );
    expect(said(moved)).toEqual(['appt_confirm_named']);
    expect(moved.context.draft).toMatchObject({ name: 'Rosa', date: dayAhead(45).iso, time: '13:00' });
    expect(moved.context.draft?.editing).toBe(moved.context.appointments[0]?.id);
  });

  it('blind try 33: "quiero solo el recordatorio de un dia antes a las 8" after saving asks when the texts come, not a change of the appointment to 8', () => {
    const day = dayAhead(60);
    const snap = talkIn(
      'es',
      `mi cita de huellas es el ${day.es} a las 9 y media en houston, recuerdame`,
      'si',
      'quiero solo el recordatorio de un dia antes a las 8 de la mañana',
    );
    expect(said(snap)).toEqual(['reminders_when']);
    expect(snap.context.draft).toBeUndefined();
    expect(snap.context.appointments.map((a) => a.time.slice(0, 5))).toEqual(['09:30']);
  });

  it('blind try 34: "my cousin told me ICE arrests people there… I am scared to go tomorrow" with tomorrow\'s saved: the fear answered, no relative\'s appointment started', () => {
    const day = dayAhead(1);
    const snap = talkIn(
      'en',
      `hi, my biometric appointment is ${day.en} 8:30 am in Miami, Florida. can you remind me?`,
      'yes',
      'ok thank you so much my cousin told me that sometimes ICE is waiting in the office and they arrest people in the appointment is that true I am scared to go maybe is better I dont go',
    );
    expect(said(snap)).toEqual(['node:bio_afraid']);
    expect(snap.context.draft).toBeUndefined();
  });

  it('blind try 34: "only day before plz, 3 message is too much for me" after saving asks when the texts come; "the letter?? I have only photo of it in phone" is a copy of the notice', () => {
    const saved = [`my fingerprint appointment is ${dayAhead(20).en} at 9am in oakland, remind me`, 'yes'];
    expect(said(talkIn('en', ...saved, 'only day before plz, 3 message is too much for me'))).toEqual([
      'reminders_when',
    ]);
    expect(said(talkIn('en', 'ok I go. but the letter?? I have only photo of it in phone is ok?'))).toContain(
      'node:notice_lost',
    );
  });

  it('blind try 34: the saved day put right beside a question after "y otra pregunta": the question answered, then the day corrected and read back', () => {
    const day = dayAhead(20);
    const next = dayAhead(21);
    const snap = talkIn(
      'es',
      `mi mama tiene cita de huellas el ${day.es} a las 9 en houston, le pone recordatorio? se llama Marta`,
      'si',
      `ay perdon ya vi bien la carta es el ${next.es} no el ${day.es}, misma hora. y otra pregunta yo puedo entrar con ella? es que ella no habla ingles`,
    );
    expect(said(snap)).toEqual(['node:bring_someone', 'appt_confirm_named']);
    expect(snap.context.draft).toMatchObject({ date: next.iso, time: '09:00', name: 'Marta' });
  });

  it('blind try 33: "where i find it" under the account number\'s choices ("1 Find account number") is that choice, not the way to the office', () => {
    expect(
      said(talkIn('en', 'is the uscis online account number the same as my A-number?', 'where i find it')),
    ).toEqual(['node:acct_find_number']);
  });
});

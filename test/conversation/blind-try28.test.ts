import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { partsOf, said, talkIn } from '../support/dialogue.js';

/**
 * Blind try 28: the classes its testers found, each with the message that showed it and others of
 * the class. Dates are counted from the tests' clock.
 */

describe('blind try 28', () => {
  it('es: filed by mail with "inmigracion" is USCIS: the receipt, not "did the judge tell you?"', () => {
    const first =
      'fijese que yo mande mi asilo por correo a inmigracion en agosto y hasta ahorita no me ha llegado nada de las huellas, es normal?';
    expect(said(talkIn('es', first))).toContain('node:nm_receipt');
  });

  it('not in court, said at the judge question: the USCIS steps, never the court answer, and no loop back to the judge', () => {
    const start = ['no me llega nada de las huellas', '2'];
    expect(said(talkIn('es', ...start))).toEqual(['node:nm_court_judge']);
    const answered = talkIn('es', ...start, 'no, no tengo juez, yo lo mande a uscis por correo');
    expect(said(answered)).toEqual(['node:nm_receipt']);
    // The receipt's "no": the USCIS wait, not steered back to the judge by the court steps reached before.
    expect(said(talkIn('es', ...start, 'no, no tengo juez, yo lo mande a uscis por correo', '2'))).toEqual([
      'node:nm_three_months',
    ]);
    expect(said(talkIn('en', 'still no fingerprint letter', '2', 'no no judge, i sent it to uscis'))).toEqual(
      ['node:nm_receipt'],
    );
  });

  it('under the reminder offer, a question is answered, not taken for a yes; a yes after it still takes the offer', () => {
    const offered = `please i have appoinment for the finger print ${dayAhead(1).en} at 1pm in Miami. if i arrive late what it happen?`;
    const kids =
      'ok i will go early. i have 2 children 3 year and 7 year nobody can keep them for me, i can bring them with me inside? they dont have appoinment';
    expect(said(talkIn('en', offered))).toContain('appt_offer');
    const asked = talkIn('en', offered, kids);
    expect(said(asked)[0]).toBe('node:bring_someone');
    expect(asked.context.draft).toBeUndefined();
    expect(said(talkIn('en', offered, kids, 'yes'))).toEqual(['appt_confirm']);
    const phone = talkIn(
      'es',
      `mi cita es ${dayAhead(1).es} a las 3pm y voy a llegar 20 min tarde, me atienden?`,
      'ok ya voy. puedo llevar el celular adentro? y mi pasaporte esta vencido, sirve?',
    );
    expect(phone.context.draft).toBeUndefined();
    expect(said(phone)).not.toContain('appt_ask_place');
  });

  it("en: right after saving, a change asked beside a wife's due date is the change, not the family's notices", () => {
    const snap = talkIn(
      'en',
      `my biometric appointment is ${dayAhead(20).en} at 11:30 AM in Sacramento CA. please send me reminder`,
      'yes',
      `my wife is pregnant, the baby may come ${dayAhead(19).en} or ${dayAhead(20).en}. I must be with her in hospital. How I can change my appointment?`,
    );
    expect(said(snap)).toContain('node:reschedule');
  });

  it('asked for fewer reminders ("just the day before is fine"): the times are the same for everyone', () => {
    const snap = talkIn(
      'en',
      `i have a biometrics appointment on ${dayAhead(12).en} at 2:15 pm in Newark New Jersey, remind me`,
      'yes',
      "can you not do the 3 hours before text I'll be at work, just the day before is fine",
    );
    expect(said(snap)).toEqual(['reminders_when']);
  });

  it('en: "mobile phone" at "On a phone or a computer?" is the phone', () => {
    expect(said(talkIn('en', 'i need to change my fingerprint appointment', '2', 'mobile phone'))).toEqual([
      'node:rs_online_phone',
    ]);
  });

  it('fr: "efface les rappels du mien (le N)" with two saved turns off the one on that day', () => {
    const mine = dayAhead(30).at;
    const snap = talkIn(
      'fr',
      `j'ai mon rdv d'empreintes le ${dayAhead(30).fr} a 13h30 a Newark, peux tu m'envoyer des rappels stp`,
      'oui',
      `ma blonde a le sien le ${dayAhead(31).fr} a 9h au meme bureau, tu peux m'envoyer ses rappels a moi aussi?`,
      '1',
      `finalement efface les rappels du mien (le ${mine.day}), garde juste ceux de ma blonde`,
    );
    expect(said(snap)).toEqual(['appt_cancelled']);
    expect(snap.context.appointments.map((a) => a.date)).toEqual([dayAhead(31).iso]);
  });

  it('fr: a time put right beside "le rappel de 3h avant j\'en veux pas" corrects the one saved; "ouin" says yes', () => {
    const start = [`j'ai mon rdv d'empreintes le ${dayAhead(30).fr} a 13h30 a Newark, rappelle moi`, 'oui'];
    const fix =
      "ah pis oups je me suis trompé c'est a 13h00 pas 13h30. pis le rappel de 3h avant j'en veux pas";
    expect(said(talkIn('fr', ...start, fix))).toEqual(['appt_confirm']);
    const saved = talkIn('fr', ...start, fix, 'ouin c ca');
    expect(saved.context.appointments.map((a) => a.time.slice(0, 5))).toEqual(['13:00']);
  });

  it('a reminder to call USCIS: Huella reminds only of appointments, then the call; nothing is collected', () => {
    for (const [lang, text] of [
      ['en', 'can you send me message tomorrow 9am to remember call uscis? I forget easy'],
      ['en', 'can you remind me tomorrow morning to call uscis because I will forget'],
    ] as const) {
      const snap = talkIn(lang, text);
      const node = partsOf(snap).find((p) => 'node' in p.say && p.say.node === 'call_uscis');
      expect(node?.lead).toBe('reminds_only_appointments');
      expect(snap.context.draft).toBeUndefined();
    }
  });

  it('fr: the office closed, then "je l\'ai pas manqué… c eux qui ont fermé": the call again, not the warning about missing it', () => {
    const snap = talkIn(
      'fr',
      "svp aidez moi jsuis allé ce matin a mon rdv empreinte, le bureau était fermé, le gardien m'a dit de rentrer. koi faire?",
      "mais je l'ai pas manqué moi jetais la a 7h45 pour 8h c eux qui ont fermé!! ca compte comme absent?",
    );
    expect(said(snap)[0]).toBe('node:call_uscis');
  });
});

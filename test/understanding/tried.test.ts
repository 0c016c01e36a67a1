import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { pickIntent, Understander } from '../../src/understanding/understand.js';

const understander = new Understander(loadFlows());

/**
 * Messages typed in hands-on tries of the running service that first got a wrong topic, with the
 * topic they need. Kept so a later change to flows/ or the matcher cannot bring the mistake back.
 */
const TRIED: [text: string, topic: string][] = [
  ['i lost my apointment letter', 'notice_lost'],
  ['perdi la carta de mi cita', 'notice_lost'],
  ['i lost the paper they sent me for fingerprints', 'bio_notice_where'],
  ['perdí el papel que me mandaron de las huellas', 'notice_lost'],
  ['no encuentro el papel de la cita', 'notice_lost'],
  ['i threw away the letter by mistake', 'notice_lost'],
  ['wen is my apointmnt', 'bio_notice_where'],
  ['idk wat to bring', 'bring'],
  ['nose q llevar', 'bring'],
  ['will they deny my case', 'bio_why'],
  ['tengo miedo de ir a la cita, me van a detener?', 'legal_help'],
  ['will they arrest me at the appointment', 'legal_help'],
  // Sixth round of tries (first contact, written by ear, everyday words).
  ['is it free', 'money'],
  ['how much does it cost', 'money'],
  ['cuanto cuesta esto', 'money'],
  ['someone on facebook says he can get me earlier appointment for 200 dollars', 'money'],
  ['quien es', 'huella_about'],
  ['my lawyer gave me this number', 'huella_about'],
  ['buenas, mi abogado me dio este numero', 'huella_about'],
  ['also how long does it take to get the fingerprint letter', 'nm_start'],
  ['i applied 2 months ago and nothing', 'nm_start'],
  ['my kids are 10 and 15 do they need to go', 'bio_family'],
  ['puedo llevar a mi hijo chiquito, no tengo quien lo cuide', 'bring_someone'],
  ['necesito llevar mi pasaporte? no tengo pasaporte solo la acta de nacimiento', 'bring_no_id'],
  ['entre pero no veo mi caso, la cuenta no dice nada', 'acct_paper_case'],
  ['y el numero de servicio al cliente cual es', 'call_uscis'],
  ['cuanto tiempo tarda eso', 'bio_day'],
  ['i moved to georgia last month will they send the letter to my old adress', 'address_change'],
  ['i dont remember the date', 'bio_notice_where'],
  ['it says my email is already used', 'acct_problems'],
  ['me yego una carta de inmigracion ke dise sita para uellas ke es eso', 'bio_what'],
  ['aser otra sita para mi hija', 'appt_add'],
  ['ya no quiero los recordatorios de mi hijo', 'appt_list'],
  ['OCUPO SABER KE ASE FALTA PARA LA CITA DE LAS UELLAS', 'bring'],
  ['hace falta el pasaporte', 'bring'],
  ['necesito hacer la cita de huellas', 'bio_schedule'],
  // Seventh round.
  ['i went to my biometrics yesterday what happens now', 'appt_went'],
  ['y que sigue despues de las huellas', 'appt_went'],
  ['el notario me cobro 500 para sacar la cita de uellas es normal?', 'money'],
  ['how long will i be there', 'bio_how_long'],
  ['ok y cuanto dura la cita mas o menos', 'bio_how_long'],
  ['el mas chico tiene 2 años tambien tiene q ir?', 'bio_family'],
  ['show me all the appointments', 'appt_list'],
  ['can i go to a different office closer to me', 'reschedule'],
  ['no me sale la opcion de reschedule', 'rs_phone'],
  ['the online thing says not eligible or something', 'rs_phone'],
  ['que es el ASC', 'bio_what'],
  // Eighth round.
  ['y la entrevista cuando', 'legal_help'],
];

describe('messages from hands-on tries', () => {
  for (const [text, topic] of TRIED) {
    it(`"${text}" leads to ${topic}`, () => {
      expect(pickIntent(understander.understand(text, 0).intents)).toEqual({ kind: 'sure', node: topic });
    });
  }

  it('"what do I bring" still leads to what to bring, in both languages', () => {
    expect(pickIntent(understander.understand('what do i bring', 0).intents)).toEqual({
      kind: 'sure',
      node: 'bring',
    });
    expect(pickIntent(understander.understand('que papeles llevo', 0).intents)).toEqual({
      kind: 'sure',
      node: 'bring',
    });
  });
});

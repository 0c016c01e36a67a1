import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { ContentRenderer, loadFlows } from '../../src/conversation/content.js';
import { createConversationMachine } from '../../src/conversation/machine.js';
import { pickIntent, Understander } from '../../src/understanding/understand.js';

const flows = loadFlows();
const understander = new Understander(flows);
const machine = createConversationMachine(flows);
const renderer = new ContentRenderer(flows);

/**
 * Messages that two hands-on testers typed (English, Spanish, Spanglish) and that first got the
 * wrong answer: a bare disclaimer for fear, rescheduling for a court date, "arrive 15 minutes early"
 * for someone who cannot go, nothing at all for "what number do I call". Each now reaches the topic
 * that answers it.
 */
const TRIED: [text: string, topic: string][] = [
  // The one USCIS number, and what to say when calling.
  ['what number do i call', 'call_uscis'],
  ['a q numero llamo', 'call_uscis'],
  ['nobody answers the phone', 'call_uscis'],
  ['ok y ellos hablan español?', 'call_uscis'],
  // Distress: a kind reply with one next step, not the legal disclaimer.
  ['im scared', 'distress'],
  ['tengo miedo', 'distress'],
  ['this is too much i cant do this', 'distress'],
  ['ya no puedo mas con todo esto', 'distress'],
  // Fear of ICE, arrest or deportation: legal help (the seeds are silent).
  ['y si me agarra ice alla', 'legal_help'],
  ['will they deport me', 'legal_help'],
  ['me van a deportar', 'legal_help'],
  // Court dates are not the biometrics appointment: never rescheduling.
  ['my court date is in March, do I have to go to both?', 'court_date'],
  ['can you help with my court date i need to change it', 'court_date'],
  ['cuando es mi corte', 'court_date'],
  // Nobody can go in someone's place.
  ['can my wife go instead of me', 'bio_in_person'],
  // A miss with the day given goes straight to the recent-miss steps.
  ['I MISSED MY FINGERPRINT APPOINTMENT YESTERDAY WHAT DO I DO', 'missed_recent'],
  // Round 11: "is it court / an interview?" is whom the appointment is with, not the bare
  // disclaimer; going another day with the appointment still ahead is not the missed steps.
  ['is it court?? am i going to be deported', 'bio_not_court'],
  ['is it an interview do they ask me questions about my case', 'bio_not_court'],
  ['y es una entrevista? q me van a preguntar', 'bio_not_court'],
  ['can i just walk in on saturday', 'bio_other_day'],
  ['puedo ir otro dia sin cita nomas llego?', 'bio_other_day'],
  ['falte ayer puedo ir otro dia', 'missed_recent'],
  ['i missed my appointment can i just walk in', 'missed_recent'],
  ['sobre huella', 'huella_about'],
  // The seeds are silent on these: "my information does not say…", and who to ask.
  ['can my lawyer come w me', 'bring_someone'],
  ['puede entrar mi abogado conmigo', 'bring_someone'],
  ['i dont speak english good can i bring translator', 'bring_someone'],
  ['how long does it take', 'bio_how_long'],
  ['y cuanto tiempo dura la cita', 'bio_how_long'],
  ['i lost the letter!! what do i do', 'notice_lost'],
  ['necesito la carta original o una copia? la perdi solo tengo foto', 'notice_lost'],
  // Round 12.
  ['mi abogado lo mando en papel, puedo verlo en la cuenta?', 'acct_paper_case'],
  [
    'me llego un texto q dice q es de uscis y q tengo q pagar 85 dolares para confirmar la cita de biometricos es verdad?',
    'money',
  ],
  ['un señor en facebook me dice q me crea la cuenta por 50 dolares es confiable?', 'money'],
  ['y el celular lo puedo meter', 'bring_phone'],
  ['can i bring my phone', 'bring_phone'],
  ['EL JUEZ LE DIJO Q TIENE Q HACER BIOMETRICOS PERO NO LE LLEGA NADA', 'nm_court_timing'],
  ['my work permit application is pending will it be denied now', 'bio_why'],
  ['ok. gracias de verdad estoy muy nervioso', 'distress'],
  ['whats the number', 'call_uscis'],
  ['can i go tomorrow instead', 'bio_other_day'],
  ['tengo foto del dpi en el cel puedo enseñar eso', 'bring_no_id'],
  // Court cases no longer mail a copy of the I-589 (December 2024).
  ['do i send a copy to uscis', 'bio_schedule'],
  // A photo of an ID is on the seed's list.
  ['tengo una foto de mi cedula en el cel', 'bring_no_id'],
  [
    'OMG i missed my biometrics last week i was sick with fever. are they going to deport me??',
    'missed_recent',
  ],
  ['ya perdi mi caso??', 'bio_why'],
  // "pasaron" is not "pasos" (the 2-step code of the account).
  ['y si ya pasaron como 2 meses', 'missed_old'],
  ['eres del gobierno? eres de migracion?', 'huella_about'],
  ['falté ayer a mi cita', 'missed_recent'],
  // Arriving late is not a missed appointment.
  ['what if im late the bus is slow', 'bio_late'],
  ['y si llego tarde', 'bio_late'],
  ['how late is too late', 'bio_late'],
  ['se me va a pasar el camion y llego como media hora tarde', 'bio_late'],
  // Cannot reschedule online: the phone.
  ['its tomorrow morning', 'rs_phone'],
  ['i already changed it 2 times before', 'rs_phone'],
  // Huella is not USCIS and sees no case.
  ['Hello is this uscis?', 'huella_about'],
  ['q es esto? quien me dio mi numero', 'huella_about'],
  ['My A# is 212345678 pls tell me my appointment', 'huella_about'],
  ['can you check my case', 'nm_case_status'],
  ['my receipt number is IOE0912345678 can u check it', 'nm_case_status'],
  // The USCIS online account.
  ['i forgot my password', 'acct_password'],
  ['the code never come to my phone i changed my number', 'acct_password'],
  ['y el codigo no me llega al correo', 'acct_password'],
  ['what is 2 step verification', 'acct_password'],
  ['ya no tengo acceso a ese correo lo hizo un notario', 'acct_not_mine'],
  ['how do i see my appointment in my account', 'acct_see_notice'],
  ['como subo la cita ahi? quiero ver mi cita de huellas en la cuenta', 'acct_see_notice'],
  // Children.
  ['el mas chiquito tiene 2 años ese tiene que dar huellas? a el no le llego carta', 'bio_family'],
  ['la mayor tiene 15 tiene que llevar identificacion? no tiene pasaporte', 'bring_no_id'],
  // Time off work is not a work permit.
  [
    'hola mire le escribo porque tengo la cita el jueves y no me dan permiso en el trabajo la puedo cambiar para otro dia o que hago',
    'reschedule',
  ],
  ['como saco el permiso de trabajo', 'work_permit'],
  // How to change an address: the seeds do not say; USCIS or legal help.
  ['como cambio la direccion', 'address_change'],
  ['how do i change my address', 'address_change'],
  // Second round of tries.
  ['whats infopass', 'call_uscis'],
  ['i want to talk to a real person', 'call_uscis'],
  ['are you a real person', 'huella_about'],
  ['ya lo reagende 2 veces antes', 'rs_phone'],
  ['hello necesito ayuda con mi appointment de biometrics', 'about'],
  ['me llego una carta de huellas q tengo q hacer', 'bio_what'],
  // Third round.
  ['he works with uscis and can get me an earlier date for 150 cash', 'money'],
  ['una señora de la iglesia dice que ella me saca la cita por 200 dolares', 'money'],
  ['cuanto hay que pagar por la cita', 'money'],
  ['tengo un bebe de 2 meses lo puedo llevar a la cita', 'bring_someone'],
  ['can i bring baby', 'bring_someone'],
  ['ya llegue y me dijeron que vuelva otro dia', 'call_uscis'],
  ['it say biometrics what is that', 'bio_what'],
  ['My appointment of biometric is tomorrow 8am but i am with fever very sick. What i can do', 'reschedule'],
  ['how much does a lawyer cost', 'legal_help'],
  // Fourth round.
  ['cuando me llaman para la entrevista de asilo', 'legal_help'],
  ['ya fui a la cita, y ahora que sigue?', 'appt_went'],
  ['i already went, whats next', 'appt_went'],
  // Fifth round.
  ['me llamaron diciendo que pague 200 dolares para que me den la cita', 'money'],
  ['i dont have pasport only my work permit', 'bring_no_id'],
  ['the notice came late the appointment was nov 16 what do i do', 'nm_missed_no_notice'],
  [
    'hola me llego la carta de huellas tarde y la cita ya paso, era el 18 de noviembre. q hago',
    'nm_missed_no_notice',
  ],
];

describe('content for messages from the hands-on tries', () => {
  for (const [text, topic] of TRIED) {
    it(`"${text}" leads to ${topic}`, () => {
      expect(pickIntent(understander.understand(text, 0).intents)).toEqual({ kind: 'sure', node: topic });
    });
  }
});

/** Runs messages through the conversation machine, restoring from JSON each time as the service does. */
function conversation(lang: string, ...messages: string[]): { node: string; replies: string[] } {
  let persisted: unknown;
  let node = '';
  let replies: string[] = [];
  for (const message of messages) {
    const restored = persisted ? JSON.parse(JSON.stringify(persisted)) : undefined;
    const actor = createActor(machine, { input: { lang }, ...(restored ? { snapshot: restored } : {}) });
    actor.start();
    actor.send({ type: 'INBOUND', understood: understander.understand(message, 0), channel: 'sms' });
    const context = actor.getSnapshot().context;
    node = context.node;
    replies = renderer.render(
      context.lang,
      context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : [])),
    );
    persisted = actor.getPersistedSnapshot();
  }
  return { node, replies };
}

const USCIS_NUMBER = '1-800-375-5283';

describe('what those topics say', () => {
  it('gives the USCIS number and what to say for "what number do I call", in both languages', () => {
    for (const [lang, text] of [
      ['en', 'what number do i call'],
      ['es', 'a q numero llamo'],
    ] as const) {
      const reply = conversation(lang, 'hi', text).replies.join('\n');
      expect(reply).toContain(USCIS_NUMBER);
      expect(reply).toContain('Reschedule biometrics appointment');
      expect(reply).toContain('InfoPass');
    }
  });

  it('answers distress kindly, with legal help and a next step, not only the disclaimer', () => {
    for (const [lang, text, kind] of [
      ['en', 'im scared', "I'm sorry"],
      ['es', 'ya no puedo mas con todo esto', 'Lamento'],
    ] as const) {
      const turn = conversation(lang, 'hola', text);
      expect(turn.node).toBe('distress');
      const reply = turn.replies.join('\n');
      expect(reply).toContain(kind);
      expect(reply).toContain('ASAP');
      // Next steps offered as numbered choices.
      expect(reply).toMatch(/\n1 /);
    }
  });

  it('offers the phone as a numbered choice from the online steps, and takes "no tengo cuenta" as it', () => {
    const online = conversation('en', 'hola i need to cambiar my cita de fingerprints', 'how i do it online');
    expect(online.node).toBe('rs_online');
    expect(online.replies.join('\n')).toContain("3 No account, or can't do it online");
    expect(conversation('en', 'reschedule online', '3').node).toBe('rs_phone');
    expect(conversation('en', 'reschedule online', 'its tomorrow morning').node).toBe('rs_phone');
    expect(conversation('en', 'reschedule online', 'i already changed it 2 times before').node).toBe(
      'rs_phone',
    );
    const noAccount = conversation('es', 'cambiar por internet', 'no tengo cuenta');
    expect(noAccount.node).toBe('rs_phone');
    expect(noAccount.replies.join('\n')).toContain(USCIS_NUMBER);
  });

  it('offers a way forward after "will my asylum be denied": legal help, or the steps for someone who already missed it', () => {
    // A question about the person's own case: legal help answers it (the classifier reads it so),
    // or why it matters is answered or offered, whose answer has the way forward for someone who
    // already missed it. Either way, not a dead end.
    const whyItMatters = (lang: string, ...messages: string[]) => {
      const first = conversation(lang, ...messages).replies.join('\n');
      const label = renderer.pack(lang).nodes.bio_why!.label;
      const n = first
        .split('\n')
        .find((line) => line.endsWith(` ${label}`))
        ?.split(' ')[0];
      return n ? conversation(lang, ...messages, n).replies.join('\n') : first;
    };
    const en = whyItMatters('en', 'hi', 'will my asylum be denied');
    expect(en.includes('I already missed it') || en.includes('Asylum Seeker Advocacy Project'), en).toBe(
      true,
    );
    const es = whyItMatters('es', 'hola', 'me van a negar el asilo?');
    expect(es.includes('Ya falté a la cita') || es.includes('Asylum Seeker Advocacy Project'), es).toBe(true);
  });

  it('says plainly that Huella is not USCIS and cannot see a case', () => {
    const about = conversation('en', 'Hello is this uscis?').replies.join('\n');
    expect(about).toContain('not USCIS');
    expect(about).toContain("can't see");
    expect(conversation('es', 'hola', 'q es esto? quien me dio mi numero').replies.join('\n')).toContain(
      'No soy USCIS',
    );
    expect(conversation('en', 'hi', 'can you check my case').replies.join('\n')).toContain(
      "I can't see your case",
    );
  });

  it('does not tell someone locked out to print backup codes before they are back in', () => {
    const reply = conversation('en', 'hi', 'i forgot my password').replies.join('\n');
    expect(reply).toContain('password recovery option');
    expect(reply).toMatch(/Once you are back in[^.]*backup codes/);
  });

  it('never sends a late arrival or a court date to the rescheduling question', () => {
    for (const text of [
      'what if im late the bus is slow',
      'can you help with my court date i need to change it',
    ]) {
      expect(conversation('en', 'hi', text).node).not.toBe('reschedule');
    }
    const late = conversation('es', 'hola', 'y si llego tarde').replies.join('\n');
    expect(late).toContain('15 minutos');
    expect(late).not.toContain('¿Hace cuánto fue su cita?');
  });

  it('answers "how do I change my address" even right after the notice text that mentions it', () => {
    const turn = conversation('es', 'me cambie de casa hace 2 meses sera x eso?', 'como cambio la direccion');
    expect(turn.node).toBe('address_change');
    expect(turn.replies.join('\n')).toContain(USCIS_NUMBER);
  });

  it('offers the call tips, not the "more than a few weeks" text, after a recent miss', () => {
    const recent = conversation('en', 'I MISSED MY FINGERPRINT APPOINTMENT YESTERDAY WHAT DO I DO');
    expect(recent.node).toBe('missed_recent');
    expect(recent.replies.join('\n')).toContain('1 Call USCIS instead');
    expect(conversation('en', 'I MISSED MY FINGERPRINT APPOINTMENT YESTERDAY WHAT DO I DO', '1').node).toBe(
      'call_uscis',
    );
  });

  it('answers a how-question about the work permit without "Yes,"', () => {
    const reply = conversation('es', 'hola', 'como saco el permiso de trabajo').replies.join('\n');
    expect(reply).not.toMatch(/^Sí,/m);
    expect(reply).toContain('ayuda legal');
  });
  it('answers what Huella keeps, in the words people ask it, and erases on "borra todo lo mio" (round 11)', () => {
    for (const text of [
      'le van a dar mi informacion a migracion o a ICE?',
      'q datos mios guardas',
      'what do u do with my appointment info',
    ]) {
      expect(understander.understand(text).means.privacy, text).toBeGreaterThan(0);
    }
    expect(understander.understand('borra todo lo mio').command?.name).toBe('delete');
    expect(understander.understand('delete everything').command?.name).toBe('delete');
  });
});

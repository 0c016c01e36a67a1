import { describe, expect, it } from 'vitest';
import { type Flows, loadFlows } from '../../src/conversation/content.js';
import { CueReader } from '../../src/understanding/cues.js';
import { messageCues, tellsSeveral } from '../../src/understanding/message-cues.js';
import { nameFrom, nameWords } from '../../src/understanding/names.js';
import { readMessage } from '../../src/understanding/reading.js';

const flows = loadFlows();
/** A day written into the test, not the wall calendar's. */
const TODAY = '2026-12-05';

/** The same packs, but English reading no other language's words. */
function englishAlone(): Flows {
  const en = flows.packs.get('en')!;
  return { ...flows, packs: new Map([...flows.packs, ['en', { ...en, dates: { ...en.dates, also: [] } }]]) };
}

describe('names and cues, read with the packs', () => {
  it('reads names after "for", a cancel word, "la de", "\'s" and a family word', () => {
    expect(readMessage(flows, 'en', 'for maria dec 8 10am', TODAY)).toMatchObject({
      nameAfterWord: 'maria',
      nameAfterFor: 'Maria',
    });
    expect(readMessage(flows, 'es', 'borra a rosa', TODAY).nameAfterWord).toBe('rosa');
    expect(readMessage(flows, 'es', 'la de carlos es a las 11', TODAY).nameMentioned).toBe('carlos');
    expect(readMessage(flows, 'en', "Luis's is at 11", TODAY).nameMentioned).toBe('luis');
    expect(readMessage(flows, 'en', 'my wife Rosa has one', TODAY).nameAfterFamily).toBe('Rosa');
    // Not names: "for me", "cancel it", a month, a weekday.
    for (const text of ['for me', 'cancel it', 'for december', 'cancel monday', 'borra todo'])
      expect(readMessage(flows, 'en', text, TODAY).nameAfterWord, text).toBeUndefined();
  });

  it('takes the name typed at "What is their first name?", after a question echoed first', () => {
    // Blind try 25: "el nombre de el? Wilmer" was saved as "El Nombre".
    expect(nameFrom('el nombre de el? Wilmer')).toBe('Wilmer');
    expect(nameFrom('his name?? olena')).toBe('Olena');
    expect(nameFrom('son nom? Jean Marc')).toBe('Jean Marc');
    // No echo: the name as typed; a name asked back alone stays the name.
    expect(nameFrom('rosa, i said it')).toBe('Rosa');
    expect(nameFrom('Wilmer?')).toBe('Wilmer');
    expect(nameFrom('maria lopez')).toBe('Maria Lopez');
  });

  it('reads the last person introduced, and no common word as part of a name', () => {
    // Blind try 26: saved as "Yesenia Pero", the writer's own name, for her mother's appointment.
    expect(
      readMessage(flows, 'es', 'mi nombre es Yesenia pero la cita es de mi mama se llama Gloria', TODAY)
        .nameIntroduced,
    ).toBe('Gloria');
    expect(nameFrom('Yesenia pero ella no tiene celular', nameWords(flows, 'es').common)).toBe('Yesenia');
    expect(nameFrom('Olena but she has no phone', nameWords(flows, 'en').common)).toBe('Olena');
    // One introduced, then words about her: still her name.
    expect(readMessage(flows, 'es', 'se llama Maria, es para ella', TODAY).nameIntroduced).toBe('Maria');
    expect(readMessage(flows, 'en', 'her name is maria jose', TODAY).nameIntroduced).toBe('Maria Jose');
  });

  it('reads a month named alone and a filing date said roughly', () => {
    expect(readMessage(flows, 'es', 'es en marzo', TODAY).month).toBe(3);
    expect(readMessage(flows, 'es', 'hace como 4 meses', TODAY).filedRoughly).toBe('2026-08-05');
    expect(readMessage(flows, 'en', 'i applied like two years ago', TODAY).filedRoughly).toBe('2024-12-05');
    expect(readMessage(flows, 'en', 'in june', TODAY).filedRoughly).toBe('2026-06-30');
    // A count or a year elsewhere is no day of that month (blind try 32); one beside it is.
    expect(readMessage(flows, 'en', 'i sent it in june and i have 2 kids', TODAY).filedRoughly).toBe(
      '2026-06-30',
    );
    expect(readMessage(flows, 'en', 'I submit I-589 in june. hearing is 2028', TODAY).filedRoughly).toBe(
      '2026-06-30',
    );
    expect(readMessage(flows, 'es', 'lo mande en junio, tengo 3 hijos', TODAY).filedRoughly).toBe(
      '2026-06-30',
    );
    for (const told of ['i filed june 12', 'lo mande el 12 de junio', 'i filed in june 2025'])
      expect(
        readMessage(flows, told.startsWith('lo') ? 'es' : 'en', told, TODAY).filedRoughly,
        told,
      ).toBeUndefined();
  });

  it('reads several people, today, an appointment and a wish for reminders', () => {
    const cues = messageCues(flows, 'es');
    expect(tellsSeveral(cues, 'yo y mis hijos tenemos cita')).toBe(true);
    expect(tellsSeveral(cues, 'mine at 9am, hers at 9:30')).toBe(true);
    expect(tellsSeveral(cues, 'mi cita es a las 9')).toBe(false);
    expect(cues.today.test('la sita es oy')).toBe(true);
    expect(cues.appointment.test('la sita es oy')).toBe(true);
    expect(cues.remind.test('recuérdame porfa')).toBe(true);
  });

  it("reads only the words of the message's language and those its pack also reads", () => {
    const alone = englishAlone();
    expect(readMessage(alone, 'en', 'borra a rosa', TODAY).nameAfterWord).toBeUndefined();
    expect(readMessage(alone, 'en', 'hace como 4 meses', TODAY).filedRoughly).toBeUndefined();
    expect(tellsSeveral(messageCues(alone, 'en'), 'yo y mis hijos')).toBe(false);
    expect(readMessage(alone, 'en', 'cancel jose', TODAY).nameAfterWord).toBe('jose');
  });

  it('reads a cue as the topic phrases are read: with or without the apostrophe, shorthand spelled out', () => {
    const cues = new CueReader(flows);
    // The pack writes "j'ai la fievre"; people type "j'ai", "jai", "J'AI".
    for (const typed of ["j'ai la fievre", 'jai la fievre', "J'AI LA FIÈVRE", 'je suis a l hopital'])
      expect(cues.read(typed).sick, typed).toBe(true);
    expect(cues.read("moi j'ai eu la mienne").own_came).toBe(true);
    expect(cues.read('moi jai eu la mienne').own_came).toBe(true);
    expect(cues.read('le rdv est demain').sick).toBeUndefined();
  });

  it('reads "*" in a cue phrase as one word there or none: a word that says which letter or appointment', () => {
    // fresh12: "I got my fingerprint letter but she didnt get hers" was no own notice come, as
    // "i got my letter" was; nor "lost my biometrics letter" a lost one.
    const cues = new CueReader(flows);
    for (const typed of ['i got my letter', 'i got my fingerprint letter', 'I got my biometrics notice'])
      expect(cues.read(typed).own_came, typed).toBe(true);
    for (const typed of ['i lost my letter', 'i lost my biometrics letter', 'lost the appointment notice'])
      expect(cues.read(typed).notice_gone, typed).toBe(true);
    expect(cues.read('i missed my fingerprint appointment').did_not_go).toBe(true);
    // One word, not more: "i got my mail but no letter" tells no letter of one's own.
    expect(cues.read('i got my mail but no letter').own_came).toBeUndefined();
    expect(cues.read('i lost my job so the letter').notice_gone).toBeUndefined();
  });

  it('reads a notice never sent as one not received (fresh5: "ils m\'ont jamais envoyé la lettre" started saving one)', () => {
    const cues = new CueReader(flows);
    for (const typed of [
      "ils m'ont jamais envoyé la lettre",
      'uscis a pas encore envoye la convocation',
      'they never sent me the letter',
      'uscis hasnt sent anything',
      'nunca me enviaron la carta',
      'no me han enviado la cita',
    ])
      expect(cues.read(typed).not_received, typed).toBe(true);
    expect(cues.read('i sent my application in may').not_received).toBeUndefined();
  });
});

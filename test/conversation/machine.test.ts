import { describe, expect, it } from 'vitest';
import { createActor, type Snapshot } from 'xstate';
import { ContentRenderer, loadFlows, type SystemKey } from '../../src/conversation/content.js';
import { createConversationMachine, type Effect, modeOf } from '../../src/conversation/machine.js';
import { Understander } from '../../src/understanding/understand.js';

const flows = loadFlows();
const machine = createConversationMachine(flows);
const understander = new Understander(flows);
const renderer = new ContentRenderer(flows);
const system = (lang: string, key: SystemKey) => renderer.pack(lang).system[key];

interface Turn {
  state: string;
  node: string;
  lang: string;
  asking: boolean;
  effects: Effect[];
  replies: string[];
  persisted: Snapshot<unknown>;
}

/** Sends one message to a conversation restored from JSON, as the service does. */
function say(previous: Turn | undefined, text: string, media = 0, channel: 'sms' | 'whatsapp' = 'sms'): Turn {
  const restored = previous ? JSON.parse(JSON.stringify(previous.persisted)) : undefined;
  const actor = createActor(machine, { input: { lang: 'en' }, ...(restored ? { snapshot: restored } : {}) });
  actor.start();
  actor.send({ type: 'INBOUND', understood: understander.understand(text, media), channel });
  const snapshot = actor.getSnapshot();
  const context = snapshot.context;
  const parts = context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));
  return {
    state: modeOf(snapshot.value),
    node: context.node,
    lang: context.lang,
    asking: context.asking,
    effects: context.effects,
    replies: renderer.render(context.lang, parts),
    persisted: actor.getPersistedSnapshot(),
  };
}

function conversation(...messages: string[]): Turn {
  let turn: Turn | undefined;
  for (const message of messages) turn = say(turn, message);
  return turn!;
}

const text = (lang: string, node: string) => renderer.pack(lang).nodes[node]!.text;

describe('conversation machine', () => {
  it('reads a short follow-up as being about the steps just shown, not a look-alike topic elsewhere', () => {
    // The steps to reschedule by phone, then "and what do I tell them?".
    const shown = conversation('quiero cambiar la fecha de mi cita', 'como llamo');
    expect(shown.node).toBe('rs_phone');
    const followUp = say(shown, 'y q les digo');
    expect(followUp.node).toBe('rs_phone');
    // The steps were just sent: a short line points back to them instead of sending them twice.
    expect(followUp.replies.join(' ')).toContain(system('es', 'same_topic').split(':')[0]);
    expect(followUp.replies.join('\n')).not.toContain('aviso de recibo');
    // Asked again after a nod, the whole text comes again.
    const later = say(say(shown, 'ok'), 'y q les digo');
    expect(later.replies.join('\n')).toContain('Reschedule biometrics appointment');
    // A clear new question still goes to its own topic.
    expect(say(shown, 'que digo cuando llamo por el recibo').node).toBe('nm_call_receipt');
    expect(say(shown, 'como creo mi cuenta de uscis').node).toBe('acct_create');
    // A message that barely touches the topic shown is not taken as one about it.
    const paper = conversation('where do i find my online access code');
    expect(paper.node).toBe('acct_paper_case');
    const unrelated = say(paper, 'A-number 123456789 is mine');
    // Neither its text again nor the line pointing back to it (the classifier may ask what it is about).
    expect(unrelated.replies.join('\n')).not.toContain(text('en', 'acct_paper_case')[0]!);
    expect(unrelated.replies.join('\n')).not.toContain(system('en', 'same_topic').split(':')[0]!);
  });

  it('asks before erasing, and stops, in the language of the word typed (BORRAR, PARAR in English)', () => {
    const erase = conversation('what do i bring', 'BORRAR');
    expect(erase.state).toBe('confirmingDelete');
    expect(erase.lang).toBe('es');
    expect(erase.replies).toEqual([system('es', 'delete_ask')]);
    const stop = conversation('what do i bring', 'PARAR');
    expect(stop.state).toBe('optedOut');
    expect(stop.replies).toEqual([system('es', 'stop_confirm')]);
    // STOP, the word every phone knows, keeps the conversation's language.
    expect(conversation('what do i bring', 'STOP').replies).toEqual([system('en', 'stop_confirm')]);
    expect(conversation('que llevo a la cita', 'STOP').replies).toEqual([system('es', 'stop_confirm')]);
    // Asking to stop in a sentence is a stop too; a stop word inside another sentence is not.
    expect(conversation('what do i bring', 'can you please stop texting me').state).toBe('optedOut');
    expect(conversation('que llevo', 'ya no me manden mensajes por favor').replies).toEqual([
      system('es', 'stop_confirm'),
    ]);
    expect(conversation('what do i bring', 'is the office near the bus stop').state).toBe('active');
    expect(conversation('que llevo', 'no mas de 12 horas antes?').state).toBe('active');
  });

  it('stops at once when a message asks to stop and to erase, and says how to erase (fresh17)', () => {
    // After STOP no text can ask "are you sure?": the stop says how to erase, and DELETE erases quietly.
    for (const [lang, first, both] of [
      ['en', 'what do i bring', 'pls stop texting me and delete what i told you'],
      ['es', 'que llevo', 'ya no quiero recibir mensajes y borren todo lo q tienen mio por favor'],
      ['fr', 'quoi apporter', "arretez de m'ecrire et effacez mes donnees svp"],
    ] as const) {
      const stop = conversation(first, both);
      expect(stop.state).toBe('optedOut');
      expect(stop.replies).toEqual([system(lang, 'stop_confirm_erase')]);
    }
    const erased = conversation('what do i bring', 'stop texting me and erase everything', 'DELETE');
    expect(erased.state).toBe('erased');
    expect(erased.replies).toEqual([]);
    // A stop that asks nothing more, or whose only other word starts a stop phrase ("remove me"), is the plain stop.
    expect(conversation('what do i bring', 'stop texting me').replies).toEqual([
      system('en', 'stop_confirm'),
    ]);
    expect(conversation('what do i bring', 'remove me please').replies).toEqual([
      system('en', 'stop_confirm'),
    ]);
  });

  it('keeps the conversation language for a message in a language Huella does not speak (blind try 23)', () => {
    // Haitian Creole holds a few short words that look English ("m", "an", "a"): too few to switch.
    const creole = conversation(
      'quoi apporter',
      'pitit gason m nan gen 12 an li pa gen paspò, li gen randevou tou menm jou a',
    );
    expect(creole.lang).toBe('fr');
    // A message plainly in another language Huella speaks still switches.
    expect(conversation('quoi apporter', 'what do i need to bring to my fingerprint appointment?').lang).toBe(
      'en',
    );
  });

  it('introduces itself on the first message and still answers the question asked', () => {
    const turn = say(undefined, 'what do i need to bring to my fingerprint appointment?');
    expect(turn.state).toBe('active');
    expect(turn.replies[0]).toBe(renderer.render('en', [{ say: { system: 'intro' } }])[0]);
    expect(turn.node).toBe('bring');
    expect(turn.replies.join('\n')).toContain(text('en', 'bring')[0]!.slice(0, 40));
  });

  it('detects Spanish from the first message and answers in Spanish', () => {
    const turn = say(undefined, 'hola que documentos llevo a la cita de huellas');
    expect(turn.lang).toBe('es');
    expect(turn.replies[0]).toBe(renderer.render('es', [{ say: { system: 'intro' } }])[0]);
    expect(turn.node).toBe('bring');
  });

  it('answers a bare greeting with the introduction and the menu, not a complaint', () => {
    const turn = say(undefined, 'hi');
    expect(turn.node).toBe(flows.menu);
    expect(turn.replies).toHaveLength(2);
    expect(turn.replies[1]).not.toContain(system('en', 'not_understood'));
  });

  it('walks the USCIS path of "no notice yet" one question at a time, by number and by word', () => {
    let turn = conversation('hi', '2');
    expect(turn.node).toBe('nm_start');
    expect(turn.asking).toBe(true);
    turn = say(turn, 'with uscis');
    expect(turn.node).toBe('nm_receipt');
    turn = say(turn, 'no');
    expect(turn.node).toBe('nm_three_months');
    turn = say(turn, 'yes');
    expect(turn.node).toBe('nm_call_receipt');
    expect(turn.replies.join(' ')).toContain('1-800-375-5283');
    expect(turn.replies.join(' ')).toContain('InfoPass');
  });

  it('walks the immigration-court path in Spanish', () => {
    let turn = conversation('hola', '2', 'corte');
    expect(turn.node).toBe('nm_court_judge');
    turn = say(turn, 'si');
    expect(turn.node).toBe('nm_court_timing');
    turn = say(turn, 'no');
    expect(turn.node).toBe('nm_court_wait');
    expect(turn.lang).toBe('es');
  });

  it('asks again, with the question, when an answer is unclear', () => {
    const turn = conversation('hi', '2', 'xyzzy plugh');
    expect(turn.node).toBe('nm_start');
    expect(turn.asking).toBe(true);
    expect(turn.replies).toHaveLength(1);
    expect(turn.replies[0]).toContain(system('en', 'reask'));
    expect(turn.replies[0]).toContain(text('en', 'nm_start').at(-1)!.slice(0, 30));
  });

  it('leaves a question when the person asks about something else', () => {
    const turn = conversation('hi', '2', 'with uscis', 'how do i reschedule my appointment');
    expect(turn.node).toBe('reschedule');
  });

  it('treats a number outside the choices as unclear, and 0 as the menu', () => {
    let turn = conversation('hi', '12');
    expect(turn.node).toBe(flows.menu);
    expect(turn.replies[0]).toContain(system('en', 'not_understood'));
    turn = say(conversation('hi', '3'), '0');
    expect(turn.node).toBe(flows.menu);
  });

  it('goes quiet after STOP, confirming once, and comes back with START', () => {
    let turn = conversation('hi', 'STOP');
    expect(turn.state).toBe('optedOut');
    expect(turn.effects.map((e) => e.type)).toEqual(['optOut', 'reply']);
    expect(turn.replies).toEqual([system('en', 'stop_confirm')]);
    // One confirmation, then nothing at all until START: not even a note that texts are off.
    for (const message of ['what do i bring', 'Stop', 'hello?', 'mis citas', 'HELP', 'ok']) {
      turn = say(turn, message);
      expect(turn.state, message).toBe('optedOut');
      expect(turn.effects, message).toEqual([]);
    }
    turn = say(turn, 'start');
    expect(turn.state).toBe('active');
    expect(turn.effects.map((e) => e.type)).toEqual(['optIn', 'reply']);
    expect(turn.replies[0]).toContain(system('en', 'start_confirm'));
  });

  it("takes a lone YES, UNSTOP or SÍ after STOP as START (Twilio's opt-in words), and nothing else", () => {
    for (const [stop, word, lang] of [
      ['STOP', 'YES', 'en'],
      ['STOP', 'yes', 'en'],
      ['STOP', 'Yes!', 'en'],
      ['STOP', 'UNSTOP', 'en'],
      ['PARAR', 'SÍ', 'es'],
      ['PARAR', 'si', 'es'],
      ['PARAR', 'Sí.', 'es'],
      ['PARAR', 'unstop', 'es'],
    ] as const) {
      const greeting = lang === 'es' ? 'hola' : 'hi';
      const turn = say(conversation(greeting, stop), word);
      expect(turn.state, word).toBe('active');
      expect(
        turn.effects.map((e) => e.type),
        word,
      ).toEqual(['optIn', 'reply']);
      expect(turn.replies[0], word).toContain(system(lang, 'start_confirm'));
    }
    // Not alone, it is not START: still opted out, still silent.
    for (const message of ['yes please tell me', 'si pero que llevo', 'ok', 'sure']) {
      const turn = say(conversation('hi', 'STOP'), message);
      expect(turn.state, message).toBe('optedOut');
      expect(turn.effects, message).toEqual([]);
    }
    // Where nobody said STOP, YES and SÍ are only answers: "yes" to a question goes on with it.
    const asked = conversation('hi', '2', 'with uscis');
    expect(asked.node).toBe('nm_receipt');
    const yes = say(asked, 'YES');
    expect(yes.node).toBe('nm_case_status');
    expect(yes.effects.map((e) => e.type)).toEqual(['reply']);
  });

  it('reads "stop all", STOP ALL and STOPALL as STOP, in either language', () => {
    for (const [greeting, word, lang] of [
      ['hi', 'stop all', 'en'],
      ['hi', 'STOP ALL', 'en'],
      ['hi', 'STOPALL', 'en'],
      ['hola', 'STOP ALL', 'es'],
      ['hola', 'stopall', 'es'],
    ] as const) {
      const turn = conversation(greeting, word);
      expect(turn.state, word).toBe('optedOut');
      expect(turn.replies, word).toEqual([system(lang, 'stop_confirm')]);
    }
  });

  it('erases at once, without answering, on DELETE or BORRAR after STOP', () => {
    for (const [greeting, stop, erase] of [
      ['hi', 'STOP', 'DELETE'],
      ['hola', 'PARAR', 'BORRAR'],
      ['hola', 'STOP', 'borra mis datos por favor'],
    ] as const) {
      const turn = say(conversation(greeting, stop), erase);
      expect(turn.state, erase).toBe('erased');
      expect(turn.effects, erase).toEqual([{ type: 'erase' }]);
      expect(turn.replies, erase).toEqual([]);
    }
  });

  it('reads a span of time told to "How long ago was it?" as that span, before answer words and topics', () => {
    const cases: [greeting: string, answer: string, node: string][] = [
      ['hola', 'hace 2 meses, más de unas semanas', 'missed_old'],
      ['hola', 'hace 2 meses', 'missed_old'],
      ['hola', 'como 3 semanas', 'missed_old'],
      ['hola', 'hace como un mes y medio', 'missed_old'],
      ['hola', 'más de unas semanas', 'missed_old'],
      ['hola', '3 meses', 'missed_old'],
      ['hola', 'unos dias', 'missed_recent'],
      ['hola', 'hace un par de semanas', 'missed_recent'],
      ['hola', 'menos de 3 semanas', 'missed_recent'],
      ['hola', 'hace 10 días', 'missed_recent'],
      ['hi', 'like 3 weeks ago', 'missed_old'],
      ['hi', '2 months, more than a few weeks', 'missed_old'],
      ['hi', 'about 2 months ago', 'missed_old'],
      ['hi', '6 weeks', 'missed_old'],
      ['hi', 'a year ago', 'missed_old'],
      ['hi', 'a couple of weeks ago', 'missed_recent'],
      ['hi', 'less than a few weeks', 'missed_recent'],
      ['hi', 'almost 3 weeks', 'missed_recent'],
      ['hi', '5 days ago', 'missed_recent'],
      ['hi', 'a week ago', 'missed_recent'],
    ];
    for (const [greeting, answer, node] of cases) {
      const asked = conversation(greeting, '5');
      expect(asked.node, answer).toBe('missed');
      const turn = say(asked, answer);
      expect(turn.node, answer).toBe(node);
      expect(turn.replies.join('\n'), answer).toContain(text(turn.lang, node)[0]!.slice(0, 30));
    }
    // With no count, the answer words still answer ("months ago", "hace poco"), and a number picks.
    expect(say(conversation('hi', '5'), 'months ago').node).toBe('missed_old');
    expect(say(conversation('hola', '5'), 'hace poco').node).toBe('missed_recent');
    expect(say(conversation('hi', '5'), '2').node).toBe('missed_old');
    // "Has it been more than 3 months since you applied?": a span answers it too.
    const receipt = conversation('hi', '2', 'with uscis', 'no');
    expect(receipt.node).toBe('nm_three_months');
    expect(say(receipt, 'about 4 months').node).toBe('nm_call_receipt');
    expect(say(receipt, 'hace 2 meses').node).toBe('nm_wait_receipt');
    // Elsewhere a span is not an answer to anything: "in 2 weeks" at the menu is not "I missed it".
    expect(say(conversation('hi'), 'my appointment is in 2 weeks what do i bring').node).toBe('bring');
  });

  it('takes "cancelar" alone as cancelling a reminder (the list), not as PARAR', () => {
    const turn = conversation('hola', 'cancelar');
    expect(turn.state).not.toBe('optedOut');
    expect(turn.replies.join('\n')).toContain(system('es', 'appt_none').slice(0, 30));
  });

  it('honours every opt-out word in either language, even as the very first message', () => {
    for (const word of [...flows.packs.get('en')!.commands.stop, ...flows.packs.get('es')!.commands.stop]) {
      const turn = say(undefined, word.toUpperCase());
      expect(turn.state, word).toBe('optedOut');
      expect(turn.replies, word).toHaveLength(1);
    }
  });

  it('erases only after a yes to DELETE, and keeps everything otherwise', () => {
    let turn = conversation('hola', 'BORRAR');
    expect(turn.state).toBe('confirmingDelete');
    expect(turn.replies).toEqual([system('es', 'delete_ask')]);
    for (const answer of ['no', 'no, ya no', 'mejor no', 'que?']) {
      const kept = say(turn, answer);
      expect(kept.state, answer).toBe('active');
      expect(
        kept.effects.map((e) => e.type),
        answer,
      ).toEqual(['reply']);
    }
    turn = say(turn, 'sí');
    expect(turn.state).toBe('erased');
    expect(turn.effects.map((e) => e.type)).toEqual(['erase', 'reply']);
    expect(turn.replies).toEqual([system('es', 'delete_done')]);
  });

  it('switches language on request and when someone clearly writes in the other one', () => {
    let turn = conversation('hi', 'ESPAÑOL');
    expect(turn.lang).toBe('es');
    expect(turn.replies[0]).toContain(system('es', 'language_set'));
    turn = conversation('hi', 'necesito cambiar la fecha de mi cita porque no puedo ir');
    expect(turn.lang).toBe('es');
    expect(turn.node).toBe('reschedule');
  });

  it('answers a photo with the text-only note, and an empty or emoji-only message kindly', () => {
    const empty = conversation('hi', '');
    expect(empty.replies[0]).toContain(system('en', 'no_words'));
    const media = say(say(undefined, 'hi'), '', 1);
    expect(media.replies[0]).toContain(system('en', 'media'));
    const emoji = say(say(undefined, 'hi'), '🙏🙏😢');
    expect(emoji.replies[0]).toContain(system('en', 'no_words'));
    expect(emoji.node).toBe(flows.menu);
  });

  it('says a photo sent at "What date?" is not read, then asks again (a blind try)', () => {
    const asked = say(say(undefined, 'hi'), 'remind me of my appointment');
    const photo = say(asked, '', 1);
    expect(photo.replies[0]).toContain(system('en', 'appt_photo'));
    expect(photo.replies.join('\n')).toMatch(/date/i);
  });

  it('answers a command word in the language it belongs to, even as the first message', () => {
    const first = say(undefined, 'AYUDA');
    expect(first.lang).toBe('es');
    // The help text says what the introduction says; then the menu: someone who writes "ayuda"
    // first is asked what they need (fresh16), not left with a list of commands.
    expect(first.replies[0]).toBe(renderer.render('es', [{ say: { system: 'help' } }])[0]);
    expect(first.replies).toHaveLength(2);
    expect(first.replies[1]).toContain(renderer.render('es', [{ say: { node: 'menu' } }])[0]);
    expect(first.node).toBe('menu');
    expect(say(undefined, 'PARAR').replies).toEqual([system('es', 'stop_confirm')]);
    expect(say(conversation('hi', '3'), 'ayuda').lang).toBe('es');
  });

  it('answers thanks warmly in one short line, not with "I did not understand" or the whole menu', () => {
    for (const [thanks, lang] of [
      ['thank you!!', 'en'],
      ['muchas gracias', 'es'],
    ] as const) {
      const turn = conversation(lang === 'en' ? 'hi' : 'hola', thanks);
      expect(turn.replies, thanks).toEqual([system(lang, 'thanks_reply')]);
    }
  });

  it('answers HELP in any state without losing the place: the question on screen is asked again', () => {
    const turn = conversation('hi', '2', 'help');
    expect(turn.replies[0]).toBe(renderer.render('en', [{ say: { system: 'help' } }])[0]);
    expect(turn.replies).toHaveLength(2);
    expect(turn.replies[1]).toContain(
      renderer.render('en', [{ say: { node: 'nm_start' } }])[0]!.split('\n')[0],
    );
    expect(turn.node).toBe('nm_start');
    expect(say(turn, 'court').node).toBe('nm_court_judge');
  });

  it('goes silently to opted-out when the carrier reports an unsubscribe', () => {
    const turn = conversation('hi', '3');
    const actor = createActor(machine, {
      input: { lang: 'en' },
      snapshot: JSON.parse(JSON.stringify(turn.persisted)),
    });
    actor.start();
    actor.send({ type: 'CARRIER_OPT_OUT' });
    expect(actor.getSnapshot().value).toBe('optedOut');
    expect(actor.getSnapshot().context.effects).toEqual([]);
    expect(say({ ...turn, persisted: actor.getPersistedSnapshot() }, 'what do i bring').replies).toEqual([]);
  });

  it('round-trips its snapshot through JSON without change', () => {
    const turn = conversation('hola', '2', 'uscis');
    const json = JSON.stringify(turn.persisted);
    const actor = createActor(machine, { input: { lang: 'en' }, snapshot: JSON.parse(json) });
    actor.start();
    expect(JSON.stringify(actor.getPersistedSnapshot())).toBe(json);
    expect(json.length).toBeLessThan(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { FlowsError, loadFlows } from '../../src/conversation/content.js';
import { partsOf, reader, talkIn } from '../support/dialogue.js';
import { flowsWithGraphEdit } from '../support/flows-copy.js';

/**
 * "no encuentro mi numero" (the account's? USCIS's phone? the receipt's?), "where do i get the
 * code" (the login code, or the one a letter gives for a paper case?), "can my wife go?" (with
 * me, for me, or her own appointment?), "je veux changer svp" (the date or the address?): blind
 * writers marked such messages as ones a good bot asks about, and Huella answered one topic as if
 * sure. A short message whose topic rests on a word several topics share (graph.yaml
 * `shared_words`) now asks among them; a word beside it that tells which (the pack's `told`)
 * keeps the answer.
 */
const offered = (lang: string, ...messages: string[]) =>
  partsOf(talkIn(lang, ...messages)).find((p) => 'system' in p.say && p.say.system === 'clarify')?.choices
    ?.to ?? [];
const node = (lang: string, text: string) => talkIn(lang, text).context.node;

describe('a word several topics share', () => {
  const asked: [lang: string, text: string, topics: string[]][] = [
    ['en', 'where is the number', ['acct_find_number', 'call_uscis', 'nm_case_status']],
    ['en', 'they want a code from me', ['acct_password', 'acct_paper_case']],
    ['en', 'my husband can go??', ['bio_in_person', 'bring_someone', 'bio_family']],
    ['en', 'can i change', ['reschedule', 'address_change']],
    ['es', 'cual numero?', ['acct_find_number', 'call_uscis', 'nm_case_status']],
    ['es', 'me pide un codigo', ['acct_password', 'acct_paper_case']],
    // A cousin or a sister is in no case of the writer's: in their place, or along, not the family's own.
    ['es', 'y mi primo puede ir', ['bio_in_person', 'bring_someone']],
    ['es', 'necesito hacer un cambio', ['reschedule', 'address_change']],
    ['fr', 'quel numero svp', ['acct_find_number', 'call_uscis', 'nm_case_status']],
    ['fr', 'ils demandent un code', ['acct_password', 'acct_paper_case']],
    ['fr', 'mon cousin peut y aller?', ['bio_in_person', 'bring_someone']],
    ['fr', 'je voudrais modifier', ['reschedule', 'address_change']],
    ['en', 'is it already too late?', ['bio_late', 'missed', 'reschedule']],
    ['en', 'i lost the papers', ['notice_lost', 'bring_no_id']],
    ['es', 'ya es muy tarde?', ['bio_late', 'missed', 'reschedule']],
    ['es', 'perdi los papeles que hago', ['notice_lost', 'bring_no_id']],
    ['fr', "c'est trop tard?", ['bio_late', 'missed', 'reschedule']],
    ['fr', "j'ai perdu le papier", ['notice_lost', 'bring_no_id']],
  ];
  for (const [lang, text, topics] of asked)
    it(`${lang}: "${text}" asks which: ${topics.join(', ')}`, () => {
      expect([...offered(lang, text)].sort()).toEqual([...topics].sort());
    });

  const told: [lang: string, text: string, answer: string][] = [
    ['en', 'where is my online account number', 'acct_find_number'],
    ['en', 'my husband can come with me inside?', 'bring_someone'],
    ['en', 'can i change my appointment date', 'reschedule'],
    ['es', 'cual es el numero para llamar a uscis', 'call_uscis'],
    ['es', 'mi primo puede ir en mi lugar?', 'bio_in_person'],
    ['es', 'tengo que cambiar mi direccion', 'address_change'],
    ['fr', 'mon cousin peut venir avec moi?', 'bring_someone'],
    ['fr', 'je voudrais changer la date du rdv', 'reschedule'],
    ['en', 'i lost the papers they sent for the appointment', 'notice_lost'],
    ['en', 'what if im 10 minutes late', 'bio_late'],
    ['es', 'voy a llegar tarde por el trafico', 'bio_late'],
  ];
  for (const [lang, text, answer] of told)
    it(`${lang}: "${text}" tells which: ${answer}`, () => {
      expect(offered(lang, text)).toEqual([]);
      expect(node(lang, text)).toBe(answer);
    });

  it('a message long enough for two needs, resting on the shared word alone, is still asked about', () => {
    for (const [lang, text] of [
      ['en', 'what is that number they keep asking me for'],
      ['es', 'necesito ese numero y no lo encuentro por ningun lado'],
      ['fr', 'je cherche le numero partout et je le trouve pas'],
    ] as const)
      expect(offered(lang, text).length, text).toBeGreaterThanOrEqual(3);
  });

  it('a long message tells more than its shared word: it is answered', () => {
    const long =
      'my wife wants to know if she can go to the office on tuesday morning because i work that day';
    expect(offered('en', long)).toEqual([]);
    expect(node('en', long)).toBe('bio_other_day');
  });

  it('a number picked from the question it asks leads to that topic', () => {
    const asking = talkIn('en', 'can i change');
    const topics = offered('en', 'can i change');
    const second = reader.send(asking, String(topics.indexOf('address_change') + 1));
    expect(second.context.node).toBe('address_change');
  });

  it('refuses shared words whose topics are not nodes', () => {
    const dir = flowsWithGraphEdit(
      'code: [acct_password, acct_paper_case]',
      'code: [acct_password, acct_papercase]',
    );
    expect(() => loadFlows(dir)).toThrow(FlowsError);
    expect(() => loadFlows(dir)).toThrow(/shared_words\.code: acct_papercase is not a node/);
  });
});

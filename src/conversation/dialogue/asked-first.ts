import { type Kit, toldByFacts } from './kit.js';
import { say } from './replies.js';
import { means, type Turn } from './turn.js';
import type { ConversationContext } from './types.js';

/**
 * Questions asked first (graph.yaml `asked_first`): "my fingerprint appointment was yesterday"
 * comes to the missed steps by its words, but whether they went is not said; "Did you go?" is
 * asked, and the day told is kept to answer "How long ago?" after a "no" (`answerNext`). "The
 * judge said I need biometrics" comes to the call, but whether it is time to call is not said:
 * that question is asked, in its own words.
 */
export class AskedFirst {
  /** The questions graph.yaml asks first. */
  private readonly questions: string[];

  constructor(private readonly kit: Kit) {
    this.questions = [...kit.flows.nodes.values()].filter((n) => n.askedFirst).map((n) => n.id);
  }

  /**
   * The question to ask before showing `shown`, if one: a topic under its answers, reached by a
   * message that tells a time past and none of the answers' own words (`told`: "i went", "no fui").
   */
  before(ctx: ConversationContext, t: Turn, shown: string): string | undefined {
    const question = this.questions.find((q) => this.kit.leadsTo(q, shown));
    if (!question || ctx.node === question || t.u.number !== undefined) return undefined;
    const { choices, askedFirst } = this.kit.node(question)!;
    // In the middle of another question, only a question always asked first is: "si el juez me
    // dijo" at "USCIS or court?" still gets "is it time to call?" before the call.
    if (ctx.asking && askedFirst !== 'always') return undefined;
    if (choices.some((c) => c.told !== undefined && means(t.u, c.told))) return undefined;
    // "…was yesterday but i was in the hospital": the reason they could not go answers it.
    if (toldByFacts(choices, t)) return undefined;
    if (askedFirst === 'always') {
      // "I filed 5 months ago", in this message or told before: a span the answer's own `ago`
      // covers has answered it already.
      const days = this.kit.daysPast(t);
      const answered =
        (days !== undefined ? this.kit.choiceForSpan(question, days) : undefined) ??
        this.kit.sinceFiledChoice(ctx, t, question);
      return answered === shown ? undefined : question;
    }
    // "missed the appointment 5 weeks ago": not going is said, in other words than the answer's.
    if (means(t.u, 'missed')) return undefined;
    // "I mailed my application 4 months ago… nothing about the appointment": the time is the
    // filing's, not the appointment's.
    if (t.cues.applied) return undefined;
    // "…the letter never came": whether they went is not the question (graph.yaml when_told);
    // nor with "they sent me home": they went, and were not seen.
    if (this.kit.saysNotCome(t) || t.cues.turned_away === true) return undefined;
    return this.kit.daysPast(t) !== undefined || this.spanWords(t) !== undefined ? question : undefined;
  }

  /**
   * Asks `question` first: its own words say the appointment's date, which the message may not
   * have told ("was yesterday"), so a plain "Did you go?" with its choices; and keeps the answer
   * the question after a "no" already has.
   */
  ask(ctx: ConversationContext, t: Turn, question: string): ConversationContext {
    const moved = this.kit.goTo(ctx, question);
    // Asked whatever brought the message: the question's own words ask it.
    if (this.kit.node(question)!.askedFirst === 'always') return say(moved.ctx, moved.part);
    const asked = say(moved.ctx, { ...moved.part, say: { system: 'asked_went' } });
    const next = this.answerNext(t);
    return next ? { ...asked, answerNext: next } : asked;
  }

  /**
   * Whether the message picks the choice of a question asked first that leads to the missed topic
   * by its own words or facts ("no pude ir", "estaba en el hospital"): it says they did not go.
   */
  toldNotGoing(t: Turn): boolean {
    const missed = this.kit.notWentNode;
    return this.questions.some((q) =>
      this.kit
        .node(q)!
        .choices.some(
          (c) =>
            c.to === missed &&
            ((c.told !== undefined && means(t.u, c.told)) || toldByFacts([c], t) !== undefined),
        ),
    );
  }

  /** The answer the question after a "no" (the one asking how long ago) already has from this message. */
  private answerNext(t: Turn): ConversationContext['answerNext'] {
    const question = this.kit.notWentNode;
    if (!question) return undefined;
    const days = this.kit.daysPast(t);
    const choice =
      (days !== undefined ? this.kit.choiceForSpan(question, days) : undefined) ?? this.spanWords(t);
    return choice ? { question, choice } : undefined;
  }

  /** The choice of the how-long-ago question that the message's words for a time pick ("yesterday", "last month"). */
  spanWords(t: Turn): string | undefined {
    const question = this.kit.notWentNode;
    if (!question) return undefined;
    const spans = this.kit
      .node(question)!
      .choices.filter((c) => c.ago !== undefined && c.means !== undefined);
    const said = spans.filter((c) => means(t.u, c.means!));
    return said.length === 1 ? said[0]!.to : undefined;
  }
}

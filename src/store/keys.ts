/**
 * Every Redis key of Huella. A person's keys share the hash tag {personId}, so a Redis Cluster
 * keeps them in one slot and a turn can be saved in one script.
 */
export const KEY_PREFIX = 'hu';

export const keys = {
  /** Hash: rev, v (machine version), snap (persisted snapshot), addr (encrypted), ch, last_in. */
  conversation: (personId: string) => `${KEY_PREFIX}:{${personId}}:conv`,
  /** The reply given to one Twilio MessageSid, so a retried webhook gets the same answer. */
  messageReply: (personId: string, messageSid: string) => `${KEY_PREFIX}:{${personId}}:sid:${messageSid}`,
  /** Sorted set of the person's other keys (score: when written), so DELETE can find them all. */
  index: (personId: string) => `${KEY_PREFIX}:{${personId}}:index`,
  /** One text Huella sends by itself: its parts, and the ledger of what Twilio accepted. */
  send: (personId: string, sendId: string) => `${KEY_PREFIX}:{${personId}}:send:${sendId}`,
  /** Set of the person's scheduled reminder job ids, so STOP and DELETE can remove them all. */
  jobs: (personId: string) => `${KEY_PREFIX}:{${personId}}:jobs`,
  /** Local mode: texts the simulator's phone has received, newest last. */
  simulatorOutbox: (personId: string) => `${KEY_PREFIX}:{${personId}}:sim-outbox`,
  /** Hash: the person's flood allowance (tokens, when last counted, when last told to slow down). */
  flood: (personId: string) => `${KEY_PREFIX}:{${personId}}:flood`,
  /** Sorted set: what the flood limit decided for each recent MessageSid, so a retry gets the same. */
  floodDecisions: (personId: string) => `${KEY_PREFIX}:{${personId}}:flood-sids`,
};

/** Every key of a person that is not listed in their index (fixed names): DELETE removes these too. */
export function fixedPersonKeys(personId: string): string[] {
  return [
    keys.conversation(personId),
    keys.index(personId),
    keys.jobs(personId),
    keys.simulatorOutbox(personId),
    keys.flood(personId),
    keys.floodDecisions(personId),
  ];
}

/** Time, injected so that no test sleeps. */
export interface Clock {
  /** Epoch milliseconds; fractions allowed (sub-millisecond precision where the host has it). */
  now(): number;
}

/** Ids, injected so tests can predict them. */
export interface IdGenerator {
  /** A new lowercase GUID string. */
  uuid(): string;
}

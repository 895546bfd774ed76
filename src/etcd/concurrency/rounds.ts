/**
 * Rounds of a recipe: one campaign (or lock) and everything that follows it, up to the next one. A recipe's
 * answers and retry timers outlive the round that asked for them; guarding each callback with the round it
 * belongs to keeps an answer of an earlier round from acting on the state of a later one.
 */
export class Rounds {
  // Invariant: incremented by every new round; callbacks guarded in earlier rounds do nothing.
  private current = 0;

  /** Starts a new round. */
  next(): void {
    this.current++;
  }

  /** `callback`, made to do nothing once a later round has begun. */
  guard<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
    const round = this.current;
    return (...args) => {
      if (round === this.current) callback(...args);
    };
  }
}

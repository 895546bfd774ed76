/**
 * Bad input, naming the field at fault: `field` is the JSON path of the offending field (`actions[3].node`,
 * `actions[0].ttl`). The scenario parser (src/sim/scenario.ts) and the etcd layer's own validators (client
 * actions, recipe actions) throw it, so it lives in the lowest layer that validates input: every caller above
 * catches one type and prints `field: problem`.
 */
export class FieldError extends Error {
  constructor(readonly field: string, readonly problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'FieldError';
  }
}

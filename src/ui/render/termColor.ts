/** Terms get one of 8 calm hues, cycling; CSS defines them (`--term-0` ... `--term-7`) for light and dark. */
export const TERM_HUES = 8;

export function termClass(term: number): string {
  return `term-${term % TERM_HUES}`;
}

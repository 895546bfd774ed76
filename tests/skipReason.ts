/**
 * Skips say why (issue 10): a conditionally skipped suite carries its reason in its title, as
 * `title [skipped: reason]`, so every reporter prints it and `npm test` (scripts/test-all.mjs) lists it in its
 * summary. A skipped test without such a reason fails `npm test`.
 */
export const SKIP_MARK = '[skipped: ';

/** The title of a suite that is skipped when `reason` is given (and runs, titled as is, when it is undefined). */
export function titleWithSkipReason(title: string, reason: string | undefined): string {
  return reason === undefined ? title : `${title} ${SKIP_MARK}${reason}]`;
}

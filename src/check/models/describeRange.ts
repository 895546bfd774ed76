/** A key range in words, for the checker's failure reports. */
import { RANGE_END_ALL, type KeyRange } from '../../kv/index.ts';

export function describeRange(range: KeyRange): string {
  switch (range.kind) {
    case 'single':
      return JSON.stringify(range.key);
    case 'prefix':
      return `prefix ${JSON.stringify(range.prefix)}`;
    case 'interval':
      return `[${JSON.stringify(range.key)}, ${range.rangeEnd === RANGE_END_ALL ? 'end' : JSON.stringify(range.rangeEnd)})`;
  }
}

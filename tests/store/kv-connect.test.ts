// The key-value views ride on the Raft ingestor: same events and resets, their sentences in the main narration
// pointing at the moment after the event they tell, and a control changed while paused takes effect at once.
import { describe, expect, it } from 'vitest';
import { createFlotillaStore } from '../../src/store/createFlotillaStore.ts';
import { Ingestor } from '../../src/store/ingest.ts';
import { formatExplanation } from '../../src/raft/explain.ts';
import { encodeCommand } from '../../src/kv/index.ts';
import { createKvStore, setKvControls } from '../../src/store/kv/createKvStore.ts';
import { connectKvViews } from '../../src/store/kv/connectKvViews.ts';
import type { SimEvent } from '../../src/store/traceEvent.ts';

const noTimers = { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined, whenIdle: () => undefined };

describe('connectKvViews', () => {
  it('narrates into the main narration at the index after the event, and refreshes the table when paused', () => {
    const store = createFlotillaStore(3);
    const main = new Ingestor(store, formatExplanation);
    const kv = createKvStore();
    connectKvViews(main, kv, () => 1000, noTimers);
    main.reset(3);
    const sim = (ev: object) => main.sim(ev as SimEvent);
    sim({ t: 5, type: 'action', action: { at: 5, do: 'client', client: 'c1', via: 2, requireLeader: true }, node: 2 });
    sim({ t: 10, type: 'client', client: 'c1', id: 1, phase: 'invoke', op: { do: 'get', key: 'a' } });
    sim({ t: 10, type: 'client', client: 'c1', id: 1, phase: 'fail', error: 'etcdserver: no leader' });
    main.flush();
    const line = store.getState().narration.lines.toArray().find((l) => l.text.includes('failed: no leader'))!;
    expect(line).toMatchObject({ category: 'client', node: 2, eventIndex: 3 });

    for (let node = 1; node <= 3; node++) {
      sim({ t: 20, type: 'apply', node, index: 1, term: 1, data: encodeCommand({ clientId: 'c1', requestId: 2, request: { do: 'put', key: 'a', value: '1' } }) });
    }
    main.flush();
    setKvControls(kv, { tableNode: 3 });
    expect(kv.getState().table).toMatchObject({ node: 3, rows: [{ key: 'a', value: '1' }] });

    main.reset(3);
    expect(kv.getState().clients).toEqual([]);
  });
});

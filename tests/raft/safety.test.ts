// Raft §5.4 safety: the election restriction (§5.4.1), committing only current-term entries (§5.4.2, Figure 8),
// and the Figure 3 properties over randomized runs with faults. The election restriction and Figure 8 are
// transcripts: testdata/election-restriction.txt, testdata/figure8.txt (and figure8-unsafe.txt).
import { describe, expect, it } from 'vitest';
import { Network } from './helpers.ts';
import { randomRun } from './scenarios.ts';

const plain = { preVote: false, checkQuorum: false };

describe('§5.4 safety', () => {
  it('§5.4.3 Leader Completeness: a new leader holds every committed entry', () => {
    const net = new Network(5, plain);
    net.elect(1);
    for (let i = 0; i < 5; i++) net.node(1).propose(`c${i}`);
    net.deliverAll();
    const committed = net.node(1).commit;
    net.crash(1);
    for (const candidate of [2, 3, 4, 5]) {
      if (net.leaders().length > 0) break;
      net.elect(candidate);
    }
    const [leader] = net.leaders();
    for (let i = 1; i <= committed; i++) expect(net.node(leader.id).entryAt(i)).toEqual(net.disks.get(1)!.entries[i - 1]);
  });

  // Randomized runs: drops, partitions, crashes and restarts, checked against Election Safety and State Machine
  // Safety on every step, then a liveness phase (heal, no faults) that must converge.
  for (const options of [
    { name: 'plain', config: plain },
    { name: 'PreVote + CheckQuorum', config: { preVote: true, checkQuorum: true } },
  ]) {
    it(`§5.4 Figure 3 properties hold over 20 randomized faulty runs (${options.name})`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const net = randomRun(seed, options.config, 400);
        expect(net.violations, `seed ${seed}`).toEqual([]);
        // Liveness: everyone back, no faults.
        net.heal();
        for (const id of net.ids) if (net.crashed.has(id)) net.restart(id);
        net.tickAll(60);
        const leaders = net.leaders();
        expect(leaders, `seed ${seed}`).toHaveLength(1);
        net.node(leaders[0].id).propose('final');
        net.deliverAll();
        net.tickAll(3);
        const reference = net.logOf(leaders[0].id);
        for (const id of net.ids) {
          expect(net.logOf(id), `seed ${seed} S${id}`).toEqual(reference);
          expect(net.node(id).commit).toBe(reference.length);
        }
        expect(net.violations).toEqual([]);
      }
    });
  }
});

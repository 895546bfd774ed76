/**
 * Network actions as data: a link's directions, and the presets a teacher reaches for (isolate the leader,
 * split the cluster into a minority and a majority, heal everything).
 */
import type { UserAction } from '../../store/index.ts';

export function cutDirection(from: number, to: number): UserAction[] {
  return [{ do: 'cut', from, to }];
}

export function cutBoth(a: number, b: number): UserAction[] {
  return [{ do: 'cut', from: a, to: b }, { do: 'cut', from: b, to: a }];
}

export function restoreBoth(a: number, b: number): UserAction[] {
  return [{ do: 'restore', from: a, to: b }, { do: 'restore', from: b, to: a }];
}

export function isolateLeader(): UserAction[] {
  return [{ do: 'isolate', node: 'leader' }];
}

/**
 * Split N nodes into a minority holding the current leader and a majority: 2|3 for five, the nearest split
 * otherwise. Putting the leader in the minority is the teaching case (it can no longer commit, §5.4).
 */
export function splitMinority(nodeCount: number, leader: number): UserAction[] {
  const minoritySize = Math.floor((nodeCount - 1) / 2) || 1;
  const ids = Array.from({ length: nodeCount }, (_, i) => i + 1);
  const start = leader > 0 ? leader : 1;
  const minority = Array.from({ length: minoritySize }, (_, i) => ((start - 1 + i) % nodeCount) + 1).sort((a, b) => a - b);
  const majority = ids.filter((id) => !minority.includes(id));
  return [{ do: 'partition', groups: [minority, majority] }];
}

export function healAll(): UserAction[] {
  return [{ do: 'heal' }];
}

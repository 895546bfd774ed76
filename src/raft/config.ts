/**
 * Building and checking a RaftConfig. Errors name the bad field, so a mistake in a scenario file or a UI
 * control is easy to trace.
 */
import type { NodeId, RaftConfig, RandomSource } from './types.ts';
import { UNSAFE_NAMES } from './types.ts';

/**
 * A config with sensible defaults: election timeout 10 ticks, heartbeat every tick, PreVote and CheckQuorum on
 * (what a production etcd cluster runs), ReadIndex reads, forwarding on, every unsafe switch off.
 */
export function defaultRaftConfig(
  id: NodeId, peers: NodeId[], random: RandomSource, overrides: Partial<RaftConfig> = {},
): RaftConfig {
  const config: RaftConfig = {
    id,
    peers: [...peers].sort((a, b) => a - b),
    electionTick: 10,
    heartbeatTick: 1,
    random,
    preVote: true,
    checkQuorum: true,
    readOnly: 'safe',
    maxInflight: 256,
    maxEntriesPerMsg: 64,
    disableProposalForwarding: false,
    ...overrides,
    unsafe: { forgetVote: false, commitOldTerm: false, skipUpToDateCheck: false, noTruncate: false, ...overrides.unsafe },
  };
  validateConfig(config);
  return config;
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

/** Throws an Error naming the first invalid field of `config`. */
export function validateConfig(config: RaftConfig): void {
  const { id, peers } = config;
  if (!isPositiveInt(id)) throw new Error(`config.id must be a positive integer, got ${String(id)}`);
  if (!Array.isArray(peers) || peers.length === 0) throw new Error('config.peers must be a non-empty array of node ids');
  for (let i = 0; i < peers.length; i++) {
    if (!isPositiveInt(peers[i])) throw new Error(`config.peers[${i}] must be a positive integer, got ${String(peers[i])}`);
    if (i > 0 && peers[i] <= peers[i - 1]) throw new Error('config.peers must be ascending without duplicates');
  }
  if (!peers.includes(id)) throw new Error(`config.peers must include config.id (${id})`);
  if (!isPositiveInt(config.electionTick)) throw new Error(`config.electionTick must be a positive integer, got ${config.electionTick}`);
  if (!isPositiveInt(config.heartbeatTick) || config.heartbeatTick >= config.electionTick) {
    throw new Error(`config.heartbeatTick must be an integer in [1, electionTick), got ${config.heartbeatTick}`);
  }
  if (!config.random || typeof config.random.int !== 'function') throw new Error('config.random must provide int(maxExclusive)');
  if (config.readOnly !== 'safe' && config.readOnly !== 'lease') throw new Error(`config.readOnly must be 'safe' or 'lease', got ${String(config.readOnly)}`);
  if (config.readOnly === 'lease' && !config.checkQuorum) {
    // thesis §6.4.1: the lease is only sound if a leader that lost its quorum steps down in time (CheckQuorum).
    throw new Error("config.readOnly 'lease' requires config.checkQuorum");
  }
  if (!isPositiveInt(config.maxInflight)) throw new Error(`config.maxInflight must be a positive integer, got ${config.maxInflight}`);
  if (!isPositiveInt(config.maxEntriesPerMsg)) throw new Error(`config.maxEntriesPerMsg must be a positive integer, got ${config.maxEntriesPerMsg}`);
  if (!config.unsafe) throw new Error('config.unsafe must be set (all switches false for a correct Raft)');
  for (const name of UNSAFE_NAMES) {
    if (typeof config.unsafe[name] !== 'boolean') throw new Error(`config.unsafe.${name} must be a boolean`);
  }
}

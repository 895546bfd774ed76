/**
 * The `config` and `network` sections of a scenario (docs/scenarios.md): their types, the documented defaults,
 * and their validation. Separate from the action validator (scenario.ts): these are the cluster's settings, the
 * same for every action, and the trace header writes them as they are.
 */
import { UNSAFE_NAMES, type UnsafeName } from '../raft/index.ts';
import { FieldError } from '../etcd/index.ts';
import { asBoolean, asEnum, asInteger, asObject, asProbability, rejectUnknownFields, show } from './scenarioFields.ts';

/** The effective cluster configuration (every field filled in); written to the trace header as is. */
export interface SimConfig {
  /** Base election timeout: each node draws its timeout in [base, 2*base) (Raft §5.2). Multiple of tickMs. */
  readonly electionTimeoutMs: number;
  /** Leader heartbeat interval. Invariant: tickMs <= heartbeatMs < electionTimeoutMs, a multiple of tickMs. */
  readonly heartbeatMs: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** Virtual ms between two ticks of a node's logical clock. */
  readonly tickMs: number;
  readonly readOnly: 'safe' | 'lease';
  readonly disableProposalForwarding: boolean;
  readonly maxInflight: number;
  readonly maxEntriesPerMsg: number;
  /** Deliberately broken core variants switched on (teaching and checker tests). */
  readonly unsafe: readonly UnsafeName[];
}

/** The effective network settings, applied to every directed link. */
export interface NetworkSettings {
  /** One-way delay, drawn uniformly in [min, max] ms (inclusive) per message. */
  readonly latencyMs: readonly [number, number];
  /** Probability in [0, 1] that a message is lost. */
  readonly dropRate: number;
  /** Probability in [0, 1] that a message is delivered twice (same id, independent delays). */
  readonly duplicateRate: number;
}

/** The documented defaults (docs/scenarios.md). */
export const DEFAULT_CONFIG: SimConfig = {
  electionTimeoutMs: 1000,
  heartbeatMs: 100,
  preVote: true,
  checkQuorum: true,
  tickMs: 10,
  readOnly: 'safe',
  disableProposalForwarding: false,
  maxInflight: 256,
  maxEntriesPerMsg: 64,
  unsafe: [],
};
export const DEFAULT_NETWORK: NetworkSettings = { latencyMs: [10, 30], dropRate: 0, duplicateRate: 0 };

const CONFIG_FIELDS = Object.keys(DEFAULT_CONFIG);
const NETWORK_FIELDS = Object.keys(DEFAULT_NETWORK);

/** Validates the `config` section (absent: the defaults). */
export function resolveConfig(value: unknown): SimConfig {
  if (value === undefined) return DEFAULT_CONFIG;
  const raw = asObject(value, 'config');
  rejectUnknownFields(raw, CONFIG_FIELDS, 'config.', 'config');
  const pick = <K extends keyof SimConfig>(key: K, read: (v: unknown, field: string) => SimConfig[K]): SimConfig[K] =>
    raw[key] === undefined ? DEFAULT_CONFIG[key] : read(raw[key], `config.${key}`);
  const tickMs = pick('tickMs', (v, f) => asInteger(v, f, 1, 1_000_000));
  const electionTimeoutMs = pick('electionTimeoutMs', (v, f) => asInteger(v, f, 1, 100_000_000));
  const heartbeatMs = pick('heartbeatMs', (v, f) => asInteger(v, f, 1, 100_000_000));
  if (electionTimeoutMs % tickMs !== 0) {
    throw new FieldError('config.electionTimeoutMs', `must be a multiple of tickMs (${tickMs}), got ${electionTimeoutMs}`);
  }
  if (heartbeatMs % tickMs !== 0) {
    throw new FieldError('config.heartbeatMs', `must be a multiple of tickMs (${tickMs}), got ${heartbeatMs}`);
  }
  if (heartbeatMs >= electionTimeoutMs) {
    throw new FieldError('config.heartbeatMs', `must be less than electionTimeoutMs (${electionTimeoutMs}), got ${heartbeatMs}`);
  }
  const preVote = pick('preVote', asBoolean);
  const checkQuorum = pick('checkQuorum', asBoolean);
  const readOnly = pick('readOnly', (v, f) => asEnum(v, f, ['safe', 'lease'] as const));
  if (readOnly === 'lease' && !checkQuorum) {
    throw new FieldError('config.readOnly', '"lease" reads are only safe with checkQuorum: true');
  }
  const unsafe = pick('unsafe', (v, f) => {
    if (!Array.isArray(v)) throw new FieldError(f, `must be an array of names (${UNSAFE_NAMES.join(', ')})`);
    return v.map((name, i) => asEnum(name, `${f}[${i}]`, UNSAFE_NAMES));
  });
  return {
    electionTimeoutMs,
    heartbeatMs,
    preVote,
    checkQuorum,
    tickMs,
    readOnly,
    disableProposalForwarding: pick('disableProposalForwarding', asBoolean),
    maxInflight: pick('maxInflight', (v, f) => asInteger(v, f, 1, 1_000_000)),
    maxEntriesPerMsg: pick('maxEntriesPerMsg', (v, f) => asInteger(v, f, 1, 1_000_000)),
    unsafe,
  };
}

/** Validates network settings (all fields optional); `path` prefixes field names in errors. */
export function resolveNetwork(value: unknown, path: string): Partial<NetworkSettings> {
  const raw = asObject(value, path);
  rejectUnknownFields(raw, NETWORK_FIELDS, `${path}.`, path);
  const out: { latencyMs?: [number, number]; dropRate?: number; duplicateRate?: number } = {};
  if (raw.latencyMs !== undefined) {
    const f = `${path}.latencyMs`;
    const range = raw.latencyMs;
    if (!Array.isArray(range) || range.length !== 2) throw new FieldError(f, `must be [minMs, maxMs], got ${show(range)}`);
    const min = asInteger(range[0], `${f}[0]`, 0, 100_000_000);
    const max = asInteger(range[1], `${f}[1]`, 0, 100_000_000);
    if (max < min) throw new FieldError(f, `max (${max}) is less than min (${min})`);
    out.latencyMs = [min, max];
  }
  if (raw.dropRate !== undefined) out.dropRate = asProbability(raw.dropRate, `${path}.dropRate`);
  if (raw.duplicateRate !== undefined) out.duplicateRate = asProbability(raw.duplicateRate, `${path}.duplicateRate`);
  return out;
}

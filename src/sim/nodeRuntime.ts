/**
 * One node as a host runs it: a RawNode with its own seeded random source and its key-value server (KvServer:
 * the replica, client requests, the leader's lease clock), turned into a function from one StepInput to one
 * plain-data StepResult (the Ready batch, drained, applied and advanced, plus the cheap view). InlineHost keeps
 * one per node in-process; the Web Worker host keeps one per worker, so a worker runs consensus and state
 * machine together.
 */
import { RawNode } from '../raft/index.ts';
import type { NodeStatus, Ready } from '../raft/types.ts';
import type { ProposeOutcome } from '../raft/index.ts';
import type { NodeInit, NodeSnapshot, StepInput, StepResult } from './host.ts';
import { Prng } from './prng.ts';
import { KvServer } from '../etcd/index.ts';

/** Offsets the key-value server's seed from the core's, so drawing lease ids never moves election timeouts. */
const KV_SEED_SALT = 0x6b76_5eed;

const NOTHING: readonly never[] = [];

export class NodeRuntime {
  private readonly raft: RawNode;
  readonly kv: KvServer;

  constructor(init: NodeInit) {
    this.raft = new RawNode({ ...init.config, random: new Prng(init.randomSeed) }, init.persisted);
    const tickMs = init.tickMs ?? 10;
    const kvSeed = (init.randomSeed ^ KV_SEED_SALT) >>> 0;
    this.kv = new KvServer(this.raft, {
      nodeId: init.config.id, tickMs, electionTimeoutMs: init.config.electionTick * tickMs,
      random: new Prng(kvSeed), randomSeed: kvSeed, incarnation: init.incarnation ?? 1,
      reappliedThroughIndex: init.persisted?.hardState.commit ?? 0,
    });
  }

  /** The first batch after (re)creation: a restarted node hands back its committed entries to re-apply. */
  start(): StepResult {
    return this.drain(undefined);
  }

  step(input: StepInput): StepResult {
    const raft = this.raft;
    let outcome: ProposeOutcome | undefined;
    switch (input.kind) {
      case 'tick':
        raft.tick();
        this.kv.tick();
        break;
      case 'kv':
        this.kv.receive(input.message);
        break;
      case 'message':
        raft.step(input.message);
        break;
      case 'propose':
        outcome = raft.propose(input.data);
        break;
      case 'timeout':
        raft.campaign();
        break;
      case 'transfer':
        raft.transferLeadership(input.to);
        break;
      case 'read':
        raft.readIndex(input.context);
        break;
    }
    return this.drain(outcome);
  }

  status(): NodeStatus {
    return this.raft.status();
  }

  view(): NodeSnapshot {
    const raft = this.raft;
    return {
      role: raft.role,
      term: raft.term,
      vote: raft.vote,
      leader: raft.leader,
      commit: raft.commit,
      lastIndex: raft.lastIndex,
      lastTerm: raft.lastTerm,
    };
  }

  /**
   * Takes the Ready batch (if any), applies its committed entries to the key-value replica and serves its reads,
   * and acknowledges it: the host persists and sends it next. (Applying before the host persists is safe here:
   * committed entries are already durable on a quorum, and the replica is rebuilt from the log on restart.)
   * The key-value server never proposes while applying, so one Ready holds everything the step produced.
   */
  private drain(proposeOutcome: ProposeOutcome | undefined): StepResult {
    const raft = this.raft;
    const kv = this.kv;
    const view = this.view();
    if (!raft.hasReady()) {
      kv.afterStep();
      const out = kv.takeOutput();
      return {
        view, messages: NOTHING, committed: NOTHING, readStates: NOTHING, readFailures: NOTHING, explanations: NOTHING, proposeOutcome,
        ...(out ? { kv: out } : {}),
      };
    }
    const rd: Ready = raft.ready();
    raft.advance();
    if (rd.committed.length > 0) kv.applyCommitted(rd.committed);
    if (rd.readStates.length > 0 || rd.readFailures.length > 0) kv.onReads(rd.readStates, rd.readFailures);
    kv.afterStep();
    const out = kv.takeOutput();
    return {
      view,
      hardState: rd.hardState,
      append: rd.append,
      messages: rd.messages,
      committed: rd.committed,
      readStates: rd.readStates,
      readFailures: rd.readFailures,
      explanations: rd.explanations,
      proposeOutcome,
      ...(out ? { kv: out } : {}),
    };
  }
}

/**
 * One node as a host runs it: a RawNode with its own seeded random source, turned into a function from one
 * StepInput to one plain-data StepResult (the Ready batch, drained and advanced, plus the cheap view).
 * InlineHost keeps one per node in-process; the Web Worker host keeps one per worker. Later the KV state
 * machine joins it here, so a worker runs consensus and state machine together.
 */
import { RawNode } from '../raft/index.ts';
import type { NodeStatus, Ready } from '../raft/types.ts';
import type { ProposeOutcome } from '../raft/index.ts';
import type { NodeInit, NodeView, StepInput, StepResult } from './host.ts';
import { Prng } from './prng.ts';

const NOTHING: readonly never[] = [];

export class NodeRuntime {
  private readonly raft: RawNode;

  constructor(init: NodeInit) {
    this.raft = new RawNode({ ...init.config, random: new Prng(init.randomSeed) }, init.persisted);
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

  view(): NodeView {
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

  /** Takes the Ready batch (if any) and acknowledges it: the host persists, sends and applies it next. */
  private drain(proposeOutcome: ProposeOutcome | undefined): StepResult {
    const raft = this.raft;
    const view = this.view();
    if (!raft.hasReady()) {
      return { view, messages: NOTHING, committed: NOTHING, readStates: NOTHING, readFailures: NOTHING, explanations: NOTHING, proposeOutcome };
    }
    const rd: Ready = raft.ready();
    raft.advance();
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
    };
  }
}

/**
 * The transcript interpreter: runs one command at a time against the hand-driven test network (../helpers.ts)
 * and returns what it printed. Every Ready a node hands over is printed as it happens (formatReady.ts), and every
 * delivery as `> S1->S2 ...`, so a transcript reads as the exact sequence of events. The command set is the table
 * `COMMANDS` below; tests/raft/testdata/README.md documents it for transcript writers.
 */
import { nodeName } from '../../../src/raft/index.ts';
import type { Message, NodeId } from '../../../src/raft/index.ts';
import { Network, type ConfigOverrides } from '../helpers.ts';
import { formatEntry, formatMessage, formatReady, formatStatus } from './formatReady.ts';
import type { Command } from './transcript.ts';

type Handler = (run: Interpreter, cmd: Command) => void;

export class Interpreter {
  private network?: Network;
  private out: string[] = [];
  /** Set by the `quiet` flag of a command: Readys and deliveries are not printed (violations still are). */
  private quiet = false;
  private violationsShown = 0;

  /** Runs one command; returns its output lines (`ok` when it printed nothing). */
  run(cmd: Command): string[] {
    const handler = COMMANDS[cmd.name];
    if (!handler) throw new Error(`unknown command '${cmd.name}' (see tests/raft/testdata/README.md)`);
    this.out = [];
    this.quiet = cmd.positional.includes('quiet');
    handler(this, { ...cmd, positional: cmd.positional.filter((p) => p !== 'quiet') });
    this.quiet = false;
    if (this.network) {
      for (const v of this.network.violations.slice(this.violationsShown)) this.out.push(`VIOLATION ${v}`);
      this.violationsShown = this.network.violations.length;
    }
    return this.out.length > 0 ? this.out : ['ok'];
  }

  get net(): Network {
    if (!this.network) throw new Error("no cluster yet: start the transcript with 'cluster <n>'");
    return this.network;
  }

  start(n: number, overrides: ConfigOverrides): void {
    this.network = new Network(n, overrides);
    this.violationsShown = 0;
    this.network.onReady = (id, rd) => {
      if (!this.quiet) this.out.push(...formatReady(id, rd));
    };
  }

  print(...lines: string[]): void {
    this.out.push(...lines);
  }

  /** Delivers the queued messages matching `pred` that are queued now; what they cause stays queued. */
  deliverOnce(pred: (m: Message) => boolean): number {
    const batch = this.net.take(pred);
    for (const m of batch) {
      const why = this.lossReason(m);
      if (!this.quiet) this.print(why ? `> lost ${formatMessage(m)} (${why})` : `> ${formatMessage(m)}`);
      this.net.deliver(m);
    }
    return batch.length;
  }

  /** Delivers matching messages, and the matching messages they cause, until none is queued. */
  stabilize(pred: (m: Message) => boolean): void {
    for (let round = 0; round < 1000; round++) if (this.deliverOnce(pred) === 0) return;
    throw new Error('stabilize: messages still flowing after 1000 rounds');
  }

  private lossReason(m: Message): string | undefined {
    if (this.net.reaches(m)) return undefined;
    if (this.net.crashed.has(m.to)) return `${nodeName(m.to)} is down`;
    if (this.net.crashed.has(m.from)) return `${nodeName(m.from)} is down`;
    return 'link cut';
  }
}

function nodeArg(cmd: Command, k: number): NodeId {
  const raw = cmd.positional[k];
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new Error(`${cmd.name}: argument ${k + 1} must be a node id, got '${raw}'`);
  return id;
}

function intArg(cmd: Command, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${cmd.name}: expected a non-negative integer, got '${value}'`);
  return n;
}

function idList(text: string): NodeId[] {
  return text.split(',').map(Number);
}

/** `from=1 to=2 type=MsgVote,MsgVoteResp`: a message filter (every message when none is given). */
function messageFilter(cmd: Command): (m: Message) => boolean {
  const from = cmd.named.get('from');
  const to = cmd.named.get('to');
  const types = cmd.named.get('type')?.split(',');
  return (m) =>
    (from === undefined || idList(from).includes(m.from)) &&
    (to === undefined || idList(to).includes(m.to)) &&
    (types === undefined || types.includes(m.type));
}

/** `cluster 3 prevote checkquorum readonly=lease max-inflight=2 max-entries=1 no-forwarding unsafe=commitOldTerm`. */
function cluster(run: Interpreter, cmd: Command): void {
  const n = nodeArg(cmd, 0);
  const flags = new Set(cmd.positional.slice(1));
  const readOnly = cmd.named.get('readonly');
  const unsafe = cmd.named.get('unsafe');
  const overrides: ConfigOverrides = {
    preVote: flags.has('prevote'),
    checkQuorum: flags.has('checkquorum'),
    ...(readOnly === 'safe' || readOnly === 'lease' ? { readOnly } : {}),
    ...(cmd.named.has('max-inflight') ? { maxInflight: intArg(cmd, cmd.named.get('max-inflight'), 0) } : {}),
    ...(cmd.named.has('max-entries') ? { maxEntriesPerMsg: intArg(cmd, cmd.named.get('max-entries'), 0) } : {}),
    ...(flags.has('no-forwarding') ? { disableProposalForwarding: true } : {}),
    ...(unsafe ? { unsafe: { [unsafe]: true } } : {}),
  };
  run.start(n, overrides);
  const timeouts = run.net.ids.map((id) => `${nodeName(id)}=${run.net.node(id).status().randomizedElectionTimeout}`);
  run.print(`election timeouts (ticks): ${timeouts.join(' ')}`);
}

function crash(run: Interpreter, cmd: Command): void {
  const id = nodeArg(cmd, 0);
  run.net.flush();
  const lost = run.net.queue.filter((m) => m.to === id || m.from === id);
  run.net.crash(id);
  for (const m of lost) run.print(`> lost ${formatMessage(m)} (${nodeName(id)} crashed)`);
}

function propose(run: Interpreter, cmd: Command): void {
  const outcome = run.net.node(nodeArg(cmd, 0)).propose(cmd.positional[1] ?? '');
  if (!outcome.ok) run.print(`rejected: ${outcome.reason} (leader ${outcome.leader === 0 ? 'unknown' : nodeName(outcome.leader)})`);
  run.net.flush();
}

function tickAll(run: Interpreter, cmd: Command): void {
  const rounds = intArg(cmd, cmd.positional[0], 1);
  for (let r = 0; r < rounds; r++) {
    for (const id of run.net.ids) if (!run.net.crashed.has(id)) run.net.node(id).tick();
    run.net.flush();
    run.stabilize(() => true);
  }
}

function status(run: Interpreter, cmd: Command): void {
  const ids = cmd.positional.length > 0 ? cmd.positional.map(Number) : run.net.ids;
  for (const id of ids) run.print(formatStatus(id, run.net.crashed.has(id) ? undefined : run.net.node(id)));
}

/** Every command a transcript may use, by name. */
const COMMANDS: Record<string, Handler> = {
  cluster,
  preload: (run, cmd) => {
    const terms = cmd.named.get('terms') ? cmd.named.get('terms')!.split(',').map(Number) : [];
    const term = intArg(cmd, cmd.named.get('term'), Math.max(0, ...terms));
    run.net.preload(nodeArg(cmd, 0), terms, term, intArg(cmd, cmd.named.get('commit'), 0));
  },
  tick: (run, cmd) => run.net.tick(nodeArg(cmd, 0), intArg(cmd, cmd.positional[1], 1)),
  'tick-all': tickAll,
  campaign: (run, cmd) => {
    run.net.node(nodeArg(cmd, 0)).campaign();
    run.net.flush();
  },
  propose,
  'read-index': (run, cmd) => {
    run.net.node(nodeArg(cmd, 0)).readIndex(cmd.positional[1] ?? '');
    run.net.flush();
  },
  transfer: (run, cmd) => {
    run.net.node(nodeArg(cmd, 0)).transferLeadership(nodeArg(cmd, 1));
    run.net.flush();
  },
  deliver: (run, cmd) => void run.deliverOnce(messageFilter(cmd)),
  stabilize: (run, cmd) => run.stabilize(messageFilter(cmd)),
  drop: (run, cmd) => {
    for (const m of run.net.drop(messageFilter(cmd))) run.print(`> dropped ${formatMessage(m)}`);
  },
  queue: (run) => {
    run.net.flush();
    for (const m of run.net.queue) run.print(formatMessage(m));
  },
  crash,
  restart: (run, cmd) => void run.net.restart(nodeArg(cmd, 0)),
  isolate: (run, cmd) => run.net.isolate(nodeArg(cmd, 0)),
  partition: (run, cmd) => run.net.partition(idList(cmd.positional[0] ?? ''), idList(cmd.positional[1] ?? '')),
  heal: (run) => run.net.heal(),
  status,
  log: (run, cmd) => {
    const node = run.net.node(nodeArg(cmd, 0));
    for (let i = 1; i <= node.lastIndex; i++) run.print(formatEntry(node.entryAt(i)!));
  },
};

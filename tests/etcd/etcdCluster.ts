/**
 * A real three-member etcd cluster on loopback for the compatibility test: Debian's etcd-server (3.4.x),
 * random free high ports on 127.0.0.1, data directories in a fresh temp directory, stopped (and the directory
 * removed) by stop(), and killed if the test process exits first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The etcd binary on PATH (or $ETCD_BIN), or undefined when etcd is not installed. */
export function findEtcd(): string | undefined {
  const candidate = process.env.ETCD_BIN ?? 'etcd';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? candidate : undefined;
}

/** The cluster's timing: etcd's minimum lease TTL follows from it (ceil(1.5 × election timeout), in whole seconds). */
/** etcd's defaults (100 ms, 1 s): robust on a loaded machine, and they make the minimum lease TTL 2 s. */
export const HEARTBEAT_MS = 100;
export const ELECTION_TIMEOUT_MS = 1000;
/** etcd: minTTL = ceil((3 × electionTicks / 2) × heartbeat), in whole seconds: 1.5 s rounds up to 2 s. */
export const ETCD_MIN_LEASE_TTL_MS = Math.ceil(((3 * (ELECTION_TIMEOUT_MS / HEARTBEAT_MS)) / 2) * HEARTBEAT_MS / 1000) * 1000;

const MEMBERS = 3;
const STARTUP_TIMEOUT_MS = 30_000;

export interface EtcdCluster {
  /** Client URLs, one per member (http://127.0.0.1:PORT). */
  readonly clientUrls: readonly string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the cluster and waits until every member reports healthy on /health. A free port can be taken by
 * someone else between probing and etcd binding it; a member that exits at startup makes the whole cluster
 * start again on new ports, up to three times.
 */
export async function startEtcdCluster(binary: string): Promise<EtcdCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary);
    } catch (e) {
      if (!(e instanceof MemberExited) || attempt === 3) throw e;
    }
  }
}

class MemberExited extends Error {}

async function startOnce(binary: string): Promise<EtcdCluster> {
  const dataRoot = mkdtempSync(path.join(tmpdir(), 'flotilla-etcd-'));
  const ports: number[] = [];
  while (ports.length < 2 * MEMBERS) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const names = Array.from({ length: MEMBERS }, (_, i) => `m${i + 1}`);
  const clientUrls = names.map((_, i) => `http://127.0.0.1:${ports[2 * i]}`);
  const peerUrls = names.map((_, i) => `http://127.0.0.1:${ports[2 * i + 1]}`);
  const initialCluster = names.map((name, i) => `${name}=${peerUrls[i]}`).join(',');
  const logs: string[][] = names.map(() => []);
  const children: ChildProcess[] = names.map((name, i) => {
    const child = spawn(binary, [
      '--name', name,
      '--data-dir', path.join(dataRoot, name),
      '--listen-client-urls', clientUrls[i], '--advertise-client-urls', clientUrls[i],
      '--listen-peer-urls', peerUrls[i], '--initial-advertise-peer-urls', peerUrls[i],
      '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', path.basename(dataRoot),
      '--heartbeat-interval', String(HEARTBEAT_MS), '--election-timeout', String(ELECTION_TIMEOUT_MS),
      '--logger', 'zap', '--log-level', 'error',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => logs[i].push(chunk.toString());
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    return child;
  });
  const killAll = () => children.forEach((child) => child.exitCode === null && child.kill('SIGKILL'));
  process.once('exit', killAll);

  const stop = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => { clearTimeout(force); resolve(); });
      child.kill('SIGTERM');
    })));
    rmSync(dataRoot, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  const healthy = async (url: string) => {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      return ((await response.json()) as { health?: string }).health === 'true';
    } catch {
      return false;
    }
  };
  while (!(await Promise.all(clientUrls.map(healthy))).every(Boolean)) {
    const exited = children.findIndex((child) => child.exitCode !== null);
    if (exited >= 0 || Date.now() > deadline) {
      await stop();
      const who = exited >= 0 ? `member ${names[exited]} exited (code ${children[exited].exitCode})` : `not healthy after ${STARTUP_TIMEOUT_MS} ms`;
      const message = `etcd cluster failed to start: ${who}\n${logs.map((l, i) => `--- ${names[i]}\n${l.join('').slice(-2000)}`).join('\n')}`;
      throw exited >= 0 ? new MemberExited(message) : new Error(message);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { clientUrls, stop };
}

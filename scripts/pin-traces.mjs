#!/usr/bin/env node
// Re-pins the examples' traces: rewrites tests/sim/example-traces.json with the sha256 `flotilla sim` gives for
// each examples/*.json (default seed). Use it only for an intended change of behaviour, and say in the commit
// message why each trace changed (`git diff tests/sim/example-traces.json` shows which did).
import { spawnSync } from 'node:child_process';

const r = spawnSync('npx', ['vitest', 'run', 'tests/sim/example-traces.test.ts'], { stdio: 'inherit', env: { ...process.env, UPDATE_PINS: '1' } });
process.exitCode = r.status ?? 1;

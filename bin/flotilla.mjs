#!/usr/bin/env node
// The `flotilla` command (npx flotilla ...). Runs the TypeScript CLI through tsx's loader, so no build step
// is needed after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

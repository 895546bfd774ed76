// Finds an etcd binary for the compatibility test (tests/etcd/compat.test.ts), or installs Debian's etcd-server
// when we may (root with apt-get), as chromium.mjs does for the browser tests. Without one, that test is skipped
// and `npm test` says so in its summary.
import { spawnSync } from 'node:child_process';
import { aptInstall } from './aptInstall.mjs';

function works(bin) {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** @returns {string | undefined} a runnable etcd (ETCD_BIN, else `etcd` on the PATH) */
export function ensureEtcd() {
  const found = [process.env.ETCD_BIN, 'etcd'].find((bin) => bin && works(bin));
  if (found) return found;
  if (!aptInstall('etcd-server', 'etcd is missing')) return undefined;
  return works('etcd') ? 'etcd' : undefined;
}

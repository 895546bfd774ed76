// Finds an etcd binary for the compatibility test (tests/etcd/compat.test.ts), or installs Debian's etcd-server
// when we may (root with apt-get), as chromium.mjs does for the browser tests. Without one, that test is skipped
// and `npm test` says so in its summary.
import { spawnSync } from 'node:child_process';

function works(bin) {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** @returns {string | undefined} a runnable etcd (ETCD_BIN, else `etcd` on the PATH) */
export function ensureEtcd() {
  const found = [process.env.ETCD_BIN, 'etcd'].find((bin) => bin && works(bin));
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  if (!isRoot || apt.status !== 0) return undefined;
  console.log('etcd is missing: installing Debian\'s etcd-server package...');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'etcd-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return works('etcd') ? 'etcd' : undefined;
}

// Installs a Debian package when we may (root with apt-get): how `npm test` gets what its tests need on a fresh
// machine (Chromium for the browser tests, etcd for the compatibility test).
import { spawnSync } from 'node:child_process';

/** @returns {boolean} whether apt-get ran (false when not root or no apt-get); the caller checks the result. */
export function aptInstall(pkg, why) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  if (!isRoot || apt.status !== 0) return false;
  console.log(`${why}: installing Debian's ${pkg} package...`);
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return true;
}

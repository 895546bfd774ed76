// Finds a Chromium for Playwright, or installs Debian's package when we may (root with apt-get).
// Playwright's own browser download cannot work on these machines, so we never rely on it.
import { aptInstall } from './aptInstall.mjs';
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.FLOTILLA_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** @returns {string | undefined} the path of a usable Chromium */
export function ensureChromium() {
  const found = CANDIDATES.find((p) => p && existsSync(p));
  if (found) return found;
  if (!aptInstall('chromium', 'Chromium is missing (about 20 s)')) return undefined;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

// What the web tests need from the machine, checked before anything runs so
// that a missing piece fails the test with the command that installs it
// (scripts/setup.sh installs them all). A web test never skips.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/**
 * @param {string} message
 * @returns {never}
 */
function missing(message) {
  process.stderr.write(`\nweb tests: ${message}\n\n`);
  process.exit(1);
}

/**
 * @param {string} name
 * @param {string} what
 * @returns {string}
 */
export function requireEnv(name, what) {
  const value = process.env[name];
  if (!value) missing(`${name} is not set: ${what}. Run the test through ctest (ctest -L web).`);
  return value;
}

/**
 * @param {string} path
 * @param {string} hint how to get it
 * @returns {string}
 */
export function requireExecutable(path, hint) {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    missing(`${path} is missing or not executable: ${hint}`);
  }
  return path;
}

/** @returns {string} the sqlite3 command-line shell */
export function requireSqlite3() {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
  } catch {
    missing('the sqlite3 command is missing: apt-get install sqlite3');
  }
  return 'sqlite3';
}

/** @returns {Promise<typeof import('playwright-core')>} */
export async function requirePlaywright() {
  try {
    return await import('playwright-core');
  } catch {
    return missing('playwright-core is not installed: npm ci --prefix tests/web');
  }
}

// Reading a starting replyd's JSON log (stderr): its copy in a file, and
// the port it listens on.
import { createWriteStream } from 'node:fs';

/**
 * The port `child` listens on, once its log says so; the log is appended
 * to `logPath` as it comes.
 * @param {import('node:child_process').ChildProcess} child spawned with stderr piped
 * @param {string} logPath
 * @param {number} waitMs
 * @returns {Promise<number>}
 */
export function listeningPort(child, logPath, waitMs) {
  const log = createWriteStream(logPath, { flags: 'a' });
  let pending = '';
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`replyd did not listen within ${waitMs} ms`)),
      waitMs);
    /** @type {NodeJS.ReadableStream} */ (child.stderr).on('data', (chunk) => {
      log.write(chunk);
      pending += chunk.toString('utf8');
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        try {
          const event = JSON.parse(line);
          if (event.event === 'listening') {
            clearTimeout(timer);
            resolvePort(event.port);
          }
        } catch { /* not a log line */ }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      log.end();
      reject(new Error(`replyd exited (${code ?? signal}) before listening; log: ${logPath}`));
    });
  });
}

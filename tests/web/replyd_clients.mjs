// ReplydClients for the tests against running servers: connected, and
// their state changes awaited, with a deadline rather than a sleep.
import { ReplydClient } from '../../web/replyd-client.js';

/**
 * A client of `url`, resolved once it is open. It reconnects within
 * 50-300 ms without jitter, so a test waits little after a server goes.
 * @param {string} url
 * @param {{ token?: string, waitMs: number }} options
 */
export async function connectClient(url, { token, waitMs }) {
  const client = new ReplydClient({
    url, token, initialBackoffMs: 50, maxBackoffMs: 300, jitter: 0,
  });
  const open = nextState(client, 'open', waitMs);
  client.connect();
  await open;
  return client;
}

/**
 * The next change of `client` into `state`; rejected after `waitMs`.
 * @param {ReplydClient} client
 * @param {string} state
 * @param {number} waitMs
 * @returns {Promise<import('../../web/replyd-client.js').StateChange>}
 */
export function nextState(client, state, waitMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${state} within ${waitMs} ms`)), waitMs);
    client.addEventListener('statechange', function listener(event) {
      const detail = /** @type {CustomEvent} */ (event).detail;
      if (detail.state !== state) return;
      clearTimeout(timer);
      client.removeEventListener('statechange', listener);
      resolve(detail);
    });
  });
}

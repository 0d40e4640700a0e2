// The feedback report page (`replyctl report --html`) in a real browser:
// replyd (the built binary) creates its feedback database, a week of
// feedback is written into it with the sqlite3 shell, the real replyctl
// writes the page, and Debian's Chromium opens it from the file. The page
// must show a table per intent with a bar and a trend chart per template,
// a wording experiment with its intervals and verdict, what agents edit,
// the template agents always reject, and load nothing from elsewhere.
// A screenshot lands in test-artifacts/report.png.
//
//   ctest -R web_report --output-on-failure      (sets REPLYD, REPLYCTL, …)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  requireEnv, requireExecutable, requirePlaywright, requireSqlite3,
} from './prerequisites.mjs';
import { listeningPort } from './replyd_log.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REPLYD = requireExecutable(requireEnv('REPLYD', 'the replyd binary (ctest passes it)'),
  'build it: cmake --build build');
const REPLYCTL = requireExecutable(requireEnv('REPLYCTL', 'the replyctl binary (ctest passes it)'),
  'build it: cmake --build build');
const PACKS = requireEnv('REPLY_PACKS', 'the pack directory replyd serves');
const CHROMIUM = requireExecutable(process.env.CHROMIUM ?? '/usr/bin/chromium',
  'apt-get install chromium (Debian\'s build; the test never downloads one)');
const SQLITE3 = requireSqlite3();
const { chromium } = await requirePlaywright();
const ARTIFACTS = process.env.REPLY_TEST_ARTIFACTS ?? join(REPO, 'test-artifacts');
const SCREENSHOT = join(ARTIFACTS, 'report.png');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WAIT_MS = 30_000;

const work = mkdtempSync(join(tmpdir(), 'replyd-report-'));
const DB = join(work, 'feedback.db');
const HTML = join(work, 'report.html');

// Templates of the bundled zh pack and what agents do with them, per day.
const LIKED = 'urge_shipment.overdue_wait';
const DISLIKED = 'urge_shipment.overdue_alternative';
const EXPERIMENT = 'urge_shipment.overdue_refund';
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 10, 20);

/** replyd creates the database with its schema; then it is stopped. */
async function createDatabase() {
  const child = spawn(REPLYD, ['--listen', '127.0.0.1:0', '--packs', PACKS, '--db', DB,
    '--threads', '1', '--no-watch-packs', '--no-learn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolveExit) => child.on('exit', resolveExit));
  await listeningPort(child, join(work, 'replyd.log'), WAIT_MS);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
}

/** A week of feedback: LIKED accepted more each day, DISLIKED always rejected. */
function seed() {
  const rows = [];
  let n = 0;
  for (let day = 0; day < 7; ++day) {
    for (let i = 0; i < 10; ++i) {
      const at = START_MS + day * DAY_MS + i * 60_000;
      const liked = i < 3 + day ? 'accepted' : (i === 9 ? 'edited' : 'rejected');
      for (const [template, action] of [[LIKED, liked], [DISLIKED, 'rejected']]) {
        const id = (++n).toString(16).padStart(32, '0');
        const final = action === 'accepted' ? "'亲，马上为您催促发货'"
          : action === 'edited' ? "'亲，今天一定发出'" : 'NULL';
        rows.push(`('${id}','c${day}-${i}','urge_shipment','${template}','test',100,'${action}',`
          + `'亲，马上为您催促发货',${final},${at},${at + 5000})`);
      }
    }
  }
  execFileSync(SQLITE3, [DB, 'INSERT INTO feedback (suggestion_id, conversation_id, intent, '
    + 'template, pack_version, latency_us, action, suggested_text, final_text, suggested_at_ms, '
    + `feedback_at_ms) VALUES ${rows.join(',\n')};`]);
  // A wording experiment on another reply: arm `apology` (the control, first
  // by name without the pack's arms) accepted 40 of 150 times, `short` 100.
  const arms = [];
  for (let i = 0; i < 300; ++i) {
    const arm = i % 2 === 0 ? 'apology' : 'short';
    const yes = arm === 'apology' ? i % 15 < 4 : i % 3 < 2;
    const id = (100_000 + i).toString(16).padStart(32, '0');
    const at = START_MS + i * 1_000_000;
    arms.push(`('${id}','e${i}','urge_shipment','${EXPERIMENT}','test',100,`
      + `'${yes ? 'accepted' : 'rejected'}','亲',NULL,${at},${at + 5000},'${arm}')`);
  }
  execFileSync(SQLITE3, [DB, 'INSERT INTO feedback (suggestion_id, conversation_id, intent, '
    + 'template, pack_version, latency_us, action, suggested_text, final_text, suggested_at_ms, '
    + `feedback_at_ms, arm) VALUES ${arms.join(',\n')};`]);
}

/** @type {import('playwright-core').BrowserContext} */
let browser;

before(async () => {
  await createDatabase();
  seed();
  execFileSync(REPLYCTL, ['report', '--db', DB, '--packs', PACKS, '--buckets', '7',
    '--html', HTML]);
  browser = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 900 },
  });
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

test('the report page shows each template with its bar and trend', async () => {
  const page = browser.pages()[0] ?? await browser.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems = [];
  const requests = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(HTML).href);

  assert.match(await page.title(), /^Reply report: /);
  const liked = page.locator(`tr[data-template="${LIKED}"]`);
  const disliked = page.locator(`tr[data-template="${DISLIKED}"]`);
  assert.equal(await liked.locator('td.rate').textContent(), '60%');  // 42 of 70
  assert.equal(await disliked.locator('td.rate').textContent(), '0%');

  // The bars: accepted, edited and rejected parts in proportion to shown.
  const box = await liked.locator('svg.bar').boundingBox();
  assert.ok(box && box.width > 100, 'the bar is drawn');
  const width = async (row, part) => Number(await row.locator(`svg.bar rect.${part}`)
    .getAttribute('width'));
  assert.ok(Math.abs(await width(liked, 'accepted') - 240 * 42 / 70) < 0.2);
  assert.ok(Math.abs(await width(disliked, 'rejected') - 240) < 0.2);
  assert.equal(await disliked.locator('svg.bar rect.accepted').count(), 0);

  // The trend: one point a day, rising for the liked reply.
  const points = liked.locator('svg.trend circle');
  assert.equal(await points.count(), 7);
  const ys = await points.evaluateAll((circles) => circles.map((c) => Number(c.getAttribute('cy'))));
  for (let i = 1; i < ys.length; ++i) assert.ok(ys[i] < ys[i - 1], `day ${i} higher: ${ys}`);
  assert.ok(await liked.locator('svg.trend polyline').isVisible());

  // The experiment: each arm with its interval drawn, the verdict against
  // the control.
  const experiment = page.locator(`table.experiment[data-template="${EXPERIMENT}"]`);
  assert.equal(await experiment.locator('tr[data-arm="apology"] td.verdict').textContent(),
    'control');
  assert.equal(await experiment.locator('tr[data-arm="short"] td.verdict').textContent(),
    'better');
  assert.equal(await experiment.locator('svg.ci').count(), 2);
  const interval = experiment.locator('tr[data-arm="short"] svg.ci line').nth(1);
  const [x1, x2] = [Number(await interval.getAttribute('x1')),
    Number(await interval.getAttribute('x2'))];
  assert.ok(x1 < x2, `the interval is drawn: ${x1}..${x2}`);

  // What agents change: the liked reply was edited once a day, always the
  // same way.
  const edited = page.locator(`#edits tr[data-template="${LIKED}"]`);
  assert.equal(await edited.locator('td.num').textContent(), '7');
  assert.equal(await edited.locator('span.del', { hasText: '马上为您催促' }).count(), 1);
  assert.equal(await edited.locator('span.ins', { hasText: '今天一定' }).count(), 1);

  assert.deepEqual(await page.locator('#always-rejected li').allTextContents(), [DISLIKED]);
  assert.ok(await page.locator('#never-offered li').count() > 10);

  assert.deepEqual(problems, []);
  assert.deepEqual(requests.filter((url) => !url.startsWith('file:')), [],
    'the page loads nothing from elsewhere');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

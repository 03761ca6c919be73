// Each role's first week in the browser, at desktop (1366 px) and phone (390 px)
// widths, with axe-core (WCAG 2.2 A and AA, target-size included) run on every
// page visited: it must report 0 violations. Charts' SVG text is checked for a
// 4.5:1 contrast against the page. A screenshot of every page visited lands in
// e2e/artifacts/a11y/. Run through e2e/run.sh (BASE_URL, DEMO_JSON as for
// walkthrough.mjs); it may run after walkthrough.mjs on the same server.
import { runSteps } from './steps.mjs';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const DEMO_JSON = process.env.DEMO_JSON ?? '';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.env.E2E_ARTIFACTS ?? join(HERE, 'artifacts'), 'a11y');
const PASSWORD = 'perspective-lab-demo';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [
  ['desktop', { width: 1366, height: 900 }],
  ['phone', { width: 390, height: 844 }],
];
const TIMEOUT_MS = 15_000;

if (!BASE_URL || !DEMO_JSON) {
  console.error('a11y.mjs: set BASE_URL and DEMO_JSON (run e2e/run.sh)');
  process.exit(2);
}
const demo = JSON.parse(readFileSync(DEMO_JSON, 'utf8'));
mkdirSync(ARTIFACTS, { recursive: true });
for (const f of readdirSync(ARTIFACTS)) if (f.startsWith('failed-a11y-')) rmSync(join(ARTIFACTS, f), { force: true });

const w = { browser: null, program: demo.program, pair: null, session: null, leader: null, mentor: null, visited: 0 };

async function api(method, path, token) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${BASE_URL}${path}`, { method, headers });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function apiLogin(email) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const json = await res.json();
  assert.equal(res.status, 200, `API login of ${email}: ${JSON.stringify(json)}`);
  return json.token;
}

/** axe on the page as it is now: 0 violations of WCAG 2.2 A/AA, or the list of what failed. */
async function axeClean(page, label) {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      rules: { 'target-size': { enabled: true } },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 2).join(' ')}`),
      count: v.nodes.length,
    }));
  });
  const lines = violations.map((v) => `${v.id} (${v.count}): ${v.help} | ${v.nodes.join(' | ')}`);
  assert.equal(violations.length, 0, `axe on ${label}:\n${lines.join('\n')}`);
  // SVG text (the charts) is not checked by axe: every label must reach 4.5:1 on the page's background.
  const faint = await page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    const out = [];
    for (const t of document.querySelectorAll('svg text')) {
      const fill = getComputedStyle(t).fill;
      if (!fill || fill === 'none' || !t.textContent.trim()) continue;
      const r = ratio(rgb(fill), [255, 255, 255]);
      if (r < 4.5) out.push(`"${t.textContent.trim()}" ${fill} ${r.toFixed(2)}:1`);
    }
    return out.slice(0, 5);
  });
  assert.deepEqual(faint, [], `chart text below 4.5:1 on ${label}`);
  // Nothing wider than the screen: the page scrolls down, never sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${label} is ${overflow}px wider than the screen`);
}

async function visit(page, url, label, width, expect = 200) {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.equal(res?.status(), expect, `GET ${url}: HTTP ${res?.status()}`);
  await axeClean(page, `${label} (${url}, ${width})`);
  await page.screenshot({ path: join(ARTIFACTS, `${label}-${width}.png`), fullPage: true });
  w.visited++;
}

async function signedIn(email, viewport) {
  const context = await w.browser.newContext({ baseURL: BASE_URL, viewport, bypassCSP: true });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  await page.goto('/', { waitUntil: 'load' });
  await page.fill('form#signin input[name=email]', email);
  await page.fill('form#signin input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form#signin button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/home', `signing in as ${email} landed on ${page.url()}`);
  return page;
}

async function discover() {
  const token = await apiLogin(demo.sponsor);
  const pairs = await api('GET', `/api/v1/programs/${w.program}/pairs`, token);
  assert.equal(pairs.status, 200, JSON.stringify(pairs.json));
  const list = Array.isArray(pairs.json) ? pairs.json : pairs.json?.pairs ?? [];
  const active = list.find((p) => p.status === 'active') ?? list[0];
  assert.ok(active, 'the demo program has no pair');
  w.pair = active.id;
  w.leader = active.leader?.email ?? active.leader_email;
  w.mentor = active.mentor?.email ?? active.mentor_email;
  assert.ok(w.leader && w.mentor, `the pair names no e-mails: ${JSON.stringify(active)}`);
  const sessions = await api('GET', `/api/v1/pairs/${w.pair}/sessions`, await apiLogin(w.leader));
  assert.equal(sessions.status, 200, JSON.stringify(sessions.json));
  w.session = sessions.json?.[0]?.id ?? null;
}

async function launch() {
  w.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

function signedOutWalk(width, viewport) {
  return async () => {
    const context = await w.browser.newContext({ baseURL: BASE_URL, viewport, bypassCSP: true });
    const page = await context.newPage();
    await visit(page, '/', 'sign-in', width);
    // A wrong password: the message beside the form, the e-mail kept.
    await page.fill('form#signin input[name=email]', demo.sponsor);
    await page.fill('form#signin input[name=password]', 'not-the-password');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form#signin button[type=submit]')]);
    assert.equal(await page.inputValue('form#signin input[name=email]'), demo.sponsor, 'the e-mail is kept');
    await axeClean(page, `sign-in refused (${width})`);
    await visit(page, '/forgot-password', 'forgot-password', width);
  };
}

function sponsorWalk(width, viewport) {
  return async () => {
    const page = await signedIn(demo.sponsor, viewport);
    const p = w.program;
    await visit(page, '/home', 'sponsor-home', width);
    await visit(page, `/programs/${p}`, 'sponsor-dashboard', width);
    // Triage: the pairs at risk, sorted by another column when the table offers it.
    const sort = page.locator('#at-risk a[href*="sort="], #risks a[href*="sort="]').first();
    if ((await sort.count()) > 0) {
      const href = await sort.getAttribute('href');
      await visit(page, href, 'sponsor-triage-sorted', width);
    }
    const riskPair = page.locator('#at-risk a[href^="/pairs/"], .risks a[href^="/pairs/"]').first();
    if ((await riskPair.count()) > 0) await visit(page, await riskPair.getAttribute('href'), 'sponsor-pair-at-risk', width);
    await visit(page, `/programs/${p}/pairing`, 'sponsor-pairing', width);
    await visit(page, `/programs/${p}/people`, 'sponsor-people', width);
    await visit(page, `/programs/${p}/checkins`, 'sponsor-checkins', width);
    await visit(page, `/programs/${p}/insights`, 'sponsor-insights', width);
    await visit(page, '/programs/new', 'sponsor-new-program', width);
    // A refused form: every error beside its field, the summary on top, the input kept.
    await page.fill('form#new-program input[name=name]', 'Accessibility cohort');
    await page.fill('form#new-program input[name=sessions]', '0');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form#new-program button[type=submit]')]);
    assert.equal(await page.locator('#error-summary').count(), 1, 'the new-program form has no error summary');
    assert.equal(await page.locator('#sessions-error').count(), 1, 'no error beside "sessions"');
    assert.equal(await page.inputValue('form#new-program input[name=name]'), 'Accessibility cohort', 'the name is kept');
    await axeClean(page, `new program refused (${width})`);
    await visit(page, '/account', 'sponsor-account', width);
    await page.context().close();
  };
}

function leaderWalk(width, viewport) {
  return async () => {
    const page = await signedIn(w.leader, viewport);
    await visit(page, '/home', 'leader-home', width);
    await visit(page, `/programs/${w.program}/question`, 'leader-question', width);
    // A blank question comes back with its error beside the box.
    await page.fill('#question-text', ' ');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form#question button[type=submit]')]);
    assert.equal(await page.locator('#question-error').count(), 1, 'no error beside the blank question');
    await axeClean(page, `question refused (${width})`);
    await visit(page, `/pairs/${w.pair}`, 'leader-pair', width);
    if (w.session) await visit(page, `/sessions/${w.session}`, 'leader-session', width);
    await visit(page, `/pairs/${w.pair}/insights`, 'leader-insights', width);
    await visit(page, `/programs/${w.program}/self-assessment/baseline`, 'leader-self-assessment', width);
    await visit(page, `/pairs/${w.pair}/checkin`, 'leader-checkin', width);
    await visit(page, '/account', 'leader-account', width);
    await page.context().close();
  };
}

function mentorWalk(width, viewport) {
  return async () => {
    const page = await signedIn(w.mentor, viewport);
    await visit(page, '/home', 'mentor-home', width);
    await visit(page, `/programs/${w.program}/mentor`, 'mentor-perspectives', width);
    await visit(page, `/pairs/${w.pair}`, 'mentor-pair', width);
    if (w.session) await visit(page, `/sessions/${w.session}`, 'mentor-session', width);
    await visit(page, `/pairs/${w.pair}/checkin`, 'mentor-checkin', width);
    await page.context().close();
  };
}

function adminWalk(width, viewport) {
  return async () => {
    const page = await signedIn(demo.admin, viewport);
    await visit(page, '/home', 'admin-home', width);
    await visit(page, '/admin', 'admin-accounts', width);
    await visit(page, '/people/import', 'admin-import', width);
    await page.context().close();
  };
}

const steps = [
  ['api', 'discover the demo pair, its partners and a session through the API', discover, []],
  ['browser', 'chromium launches headless', launch, []],
];
for (const [width, viewport] of WIDTHS) {
  const px = `${viewport.width} px`;
  steps.push(
    [`out-${width}`, `signed out at ${px}: sign-in (and its refusal) and forgotten password, axe 0`, signedOutWalk(width, viewport), ['browser']],
    [`sponsor-${width}`, `sponsor at ${px}: home, dashboard, triage, pairing, people, check-ins, insights, a refused new program, account; axe 0 on each`, sponsorWalk(width, viewport), ['api', 'browser']],
    [`leader-${width}`, `leader at ${px}: home checklist, question (and a refused blank one), pair, session, insights, self-assessment, check-in, account; axe 0 on each`, leaderWalk(width, viewport), ['api', 'browser']],
    [`mentor-${width}`, `mentor at ${px}: home, perspectives, pair, session, check-in; axe 0 on each`, mentorWalk(width, viewport), ['api', 'browser']],
    [`admin-${width}`, `administrator at ${px}: home, accounts, import; axe 0 on each`, adminWalk(width, viewport), ['browser']],
  );
}

await runSteps({
  steps,
  label: 'a11y',
  file: 'a11y.mjs',
  artifacts: ARTIFACTS,
  shotPrefix: 'failed-a11y-',
  browser: () => w.browser,
});

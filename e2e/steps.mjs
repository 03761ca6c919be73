// The step runner shared by the browser walks (walkthrough.mjs, oidc.mjs): each
// step is [key, name, fn, needs]; a step whose needs did not pass is reported
// not run; a failure prints its message and frame, and a screenshot of every
// open page. After each step its browser contexts are closed, but those `keep`
// says to keep. Prints `LABEL: N passed, M failed` last and exits non-zero on a failure.
import { join } from 'node:path';

export async function runSteps({ steps, label, file, artifacts, shotPrefix, browser, keep = () => false }) {
  let passed = 0;
  let failed = 0;
  let shots = 0;
  const ok = new Set();
  for (const [i, [key, name, fn, needs]] of steps.entries()) {
    const missing = needs.filter((k) => !ok.has(k));
    if (missing.length > 0) {
      failed++;
      const names = missing.map((k) => steps.find((s) => s[0] === k)[1]);
      console.log(`not ok - ${name}\n#   not run: needs "${names.join('", "')}"`);
      continue;
    }
    try {
      await fn();
      ok.add(key);
      passed++;
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}`);
      const message = String(e?.message ?? e).split('\n').filter((l) => l.trim());
      const frame = String(e?.stack ?? '').split('\n').find((l) => l.includes(file));
      for (const line of [...message.slice(0, 6), ...(frame ? [frame.trim()] : [])]) console.log(`#   ${line}`);
      for (const ctx of browser()?.contexts() ?? []) {
        for (const p of ctx.pages()) {
          const shot = join(artifacts, `${shotPrefix}${i + 1}-${++shots}.png`);
          try {
            await p.screenshot({ path: shot, fullPage: true });
            console.log(`#   at ${p.url()}; screenshot ${shot}`);
          } catch {
            /* the page may be gone */
          }
        }
      }
    }
    for (const ctx of browser()?.contexts() ?? []) {
      if (!keep(ctx)) await ctx.close().catch(() => {});
    }
  }
  for (const ctx of browser()?.contexts() ?? []) await ctx.close().catch(() => {});
  await browser()?.close().catch(() => {});
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

// Opens dctwin HTML reports in headless Chromium (Debian's package, driven by playwright-core from
// viz/node_modules) from file:// and fails on: any console error or page error, any request other
// than the report file itself, an alert (escaping failed), a chart container without a non-empty
// canvas, or the scenario name not shown as literal text. Saves a full-page screenshot of each
// report beside it (the test's artifacts).
//   node report_test.mjs --chromium PATH --src REPO --name SCENARIO_NAME --out DIR report.html...
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = {};
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) opt[args[i].slice(2)] = args[++i];
  else files.push(args[i]);
}
const require = createRequire(path.join(opt.src, 'viz', 'package.json'));
const { chromium } = require('playwright-core');

let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) { passed++; console.log(`ok: ${what}`); } else { failed++; console.log(`FAIL: ${what}`); }
}

const browser = await chromium.launch({
  executablePath: opt.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  for (const file of files) {
    const base = path.basename(file, '.html');
    const url = pathToFileURL(path.resolve(file)).href;
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors = [], requests = [], dialogs = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      requests.push(u);
      return route.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.hasAttribute('data-charts'), null, { timeout: 30000 });
    const info = await page.evaluate(() => {
      const charts = [...document.querySelectorAll('.chart')].map((el) => {
        const c = el.querySelector('canvas');
        if (!c) return { id: el.id, canvas: false };
        const r = c.getBoundingClientRect();
        // Count pixels that are not background: a drawn chart has many.
        let inked = 0;
        try {
          const ctx = c.getContext('2d');
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < d.length; i += 4 * 7) if (d[i] > 0) inked++;
        } catch (e) { inked = -1; }
        return { id: el.id, canvas: true, w: r.width, h: r.height, inked };
      });
      // Every numeric axis has a formatter (no raw float labels); every long series is an envelope
      // (a min..max band and a mean line).
      const axes = [], envelopes = [], names = {};  // names: each drawn chart's series names, once each
      for (const el of document.querySelectorAll('.chart')) {
        const inst = echarts.getInstanceByDom(el);
        if (!inst) continue;
        const o = inst.getOption();
        names[el.id] = [...new Set((o.series || []).map((s) => s.name))];
        for (const a of [...(o.xAxis || []), ...(o.yAxis || [])])
          if (a.type !== 'category') axes.push({ id: el.id, formatted: !!(a.axisLabel && typeof a.axisLabel.formatter === 'function') });
        if ((o.series || []).some((s) => s.stack && s.stack.startsWith('env')))
          envelopes.push({ id: el.id, band: o.series.some((s) => s.areaStyle), mean: o.series.some((s) => !s.stack && !s.step) });
      }
      const card = document.getElementById('key-figures');
      const header = document.querySelector('main > header');
      return { charts, rendered: document.body.getAttribute('data-charts'), h1: document.querySelector('h1').textContent,
               flexible: document.querySelectorAll('section#flexible > table tbody tr').length,
               title: document.title, kind: document.body.getAttribute('data-kind'), axes, envelopes, names, text: document.body.textContent,
               card: card ? { first: header && header.nextElementSibling === card, tiles: card.querySelectorAll('.kf').length,
                              pue: (document.getElementById('kf-pue') || {}).textContent || '' } : null,
               emptyCharts: [...document.querySelectorAll('.chart')].filter((el) => !el.querySelector('canvas')).map((el) => el.id) };
    });
    check(info.charts.length > 0, `${base}: has chart containers (${info.charts.length})`);
    check(info.rendered === String(info.charts.length), `${base}: renderer drew ${info.rendered} of ${info.charts.length} charts`);
    for (const c of info.charts)
      check(c.canvas && c.w > 0 && c.h > 0 && c.inked > 100,
            `${base}: #${c.id} rendered (canvas ${c.canvas ? `${Math.round(c.w)}x${Math.round(c.h)}, ${c.inked} inked samples` : 'missing'})`);
    for (const a of info.axes) check(a.formatted, `${base}: #${a.id} numeric axis labels are formatted`);
    check(info.emptyCharts.length === 0, `${base}: no empty chart${info.emptyCharts.length ? ': ' + info.emptyCharts.join(' ') : ''}`);
    if (info.kind === 'utility') {
      check(info.card && info.card.first && info.card.tiles === 4, `${base}: the key-figures card (4 tiles) comes first, after the header`);
      check(info.card && /design day|\.epw|not modelled/.test(info.card.pue), `${base}: the card's PUE says which weather it covers (${info.card && info.card.pue})`);
      check(info.envelopes.some((e) => e.id === 'chart-series'), `${base}: the meter power is drawn as an envelope`);
      for (const id of ['chart-grid-event-1', 'chart-ride-through'])
        check(info.charts.some((c) => c.id === id), `${base}: the grid disturbances section draws #${id}`);
      const map = info.names['chart-ride-through'] || [];
      check(map.some((n) => n.startsWith('ITIC')), `${base}: the ride-through map carries the ITIC envelope (${map.join(', ')})`);
      check(info.charts.some((c) => c.id === 'chart-frontier'), `${base}: the compliance section draws the mitigation frontier`);
      check(info.flexible === 1, `${base}: the Firm and flexible load section shows the run's curtailment (${info.flexible} rows)`);
      for (const id of ['chart-cost', 'chart-emissions', 'chart-price', 'chart-intensity'])
        check(info.charts.some((c) => c.id === id), `${base}: the cost and emissions section draws #${id}`);
      const em = info.names['chart-emissions'] || [];
      check(em.includes('marginal'), `${base}: emissions chart carries the marginal series (${em.join(', ')})`);
    }
    for (const e of info.envelopes) check(e.band && e.mean, `${base}: #${e.id} envelope has its min..max band and mean line`);
    if (info.kind === 'compare') {
      // A comparison names its runs' scenarios in its table (a whatif folder's table has none).
      if (base.includes('runs')) {
        check(info.text.includes(opt.name), `${base}: the scenario name shows as literal text`);
        const runs = info.names['chart-facility'] || [];
        check(runs.length === 2, `${base}: facility power of both runs overlaid (${runs.join(', ')})`);
      }
    } else {
      check(info.h1.includes(opt.name), `${base}: the scenario name shows as literal text`);
      check(info.title.includes(opt.name), `${base}: the page title shows the scenario name as text`);
    }
    check(dialogs.length === 0, `${base}: no script from the scenario ran (${dialogs.length} dialogs)`);
    check(errors.length === 0, `${base}: no console errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
    check(requests.length === 0, `${base}: no network request${requests.length ? ': ' + requests.join(' ') : ''}`);
    const shot = path.join(opt.out, `${base}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`artifact: ${shot}`);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

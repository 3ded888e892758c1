// dctwin report: draws the charts described in the embedded data (the JSON element "dctwin-data")
// with Apache ECharts (embedded above this script). Every chart states its unit in its title and
// axes, and what produced it (scenario, seed, dctwin version, date) in its subtitle.
// Chart kinds: "timeseries" (zoomable x/y in seconds; "unit" for the tooltip, MW when absent;
// "limits" [{name, value}] drawn as dashed horizontal lines; a series with "env" is drawn as its
// mean line in a min..max band per pixel column, see envSource; per series, optionally, "group" (a
// palette colour shared by the series of one run), "role" (shown after the name in the tooltip) and
// "faint"), "xy" (a line over a numeric x axis, log axes optional, a marked band optional), "bar"
// (categories), "hbar" (horizontal bars), "map" (points [x, y, value, flag] on log-x / linear-y axes
// drawn as squares coloured by value, "lines" [{name, points}] drawn over them).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('dctwin-data').textContent);
  var charts = [];
  if (typeof echarts === 'undefined') {
    document.body.setAttribute('data-charts', 'unavailable');
    return;
  }
  var palette = ['#2458a6', '#d9822b', '#1b7f3b', '#8e44ad', '#b3261e'];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (ch) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch];
    });
  }
  function clock(t) {
    var s = Math.round(t * 10) / 10, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h + ':' + (m < 10 ? '0' : '') + m + ':' + (r < 10 ? '0' : '') + (Math.round(r * 10) / 10);
  }
  // Clock-axis ticks on round times (seconds to weeks), about 8 over the span shown.
  var TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
               86400, 172800, 604800, 2419200];
  function tickInterval(span) {
    for (var i = 0; i < TICKS.length; i++) if (TICKS[i] >= span / 8) return TICKS[i];
    return TICKS[TICKS.length - 1];
  }
  // A clock tick: h:mm (h:mm:ss below a minute's ticks); past two days, "day N" plus the time of day.
  function clockTick(v, interval, span) {
    var r = Math.round(v * 10) / 10, pad = function (x) { return (x < 10 ? '0' : '') + x; };
    if (span > 2 * 86400) {
      var d = Math.floor(r / 86400), s = r - d * 86400, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
      return interval >= 86400 ? 'day ' + d : 'day ' + d + ' ' + h + ':' + pad(m);
    }
    if (interval >= 60) return Math.floor(r / 3600) + ':' + pad(Math.floor((r % 3600) / 60));
    return clock(v);
  }
  function num(v) {
    if (v === null || v === undefined) return '—';
    var a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Math.round(v * 1000) / 1000);
  }

  function base(spec, extraTop) {
    return {
      animation: false,
      color: palette,
      title: { text: spec.title, subtext: spec.provenance, left: 8, top: 4,
               textStyle: { fontSize: 14, fontWeight: 600 }, subtextStyle: { fontSize: 11, color: '#5b6577' } },
      legend: { top: 50 + (extraTop || 0), left: 8, itemWidth: 18, textStyle: { fontSize: 12 } },
      toolbox: { right: 10, top: 4, feature: { saveAsImage: { title: 'save as PNG', pixelRatio: 2 } } },
      grid: { left: 80, right: 40, top: 90, bottom: 56, containLabel: false }
    };
  }

  // Axis numbers: thousands separated, at most 6 significant digits, no float noise (0.30000000000000004).
  function axisNum(v) {
    if (v === 0) return '0';
    var a = Math.abs(v);
    if (a < 1e-3 || a >= 1e9) return v.toExponential(2);
    return Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  }
  var SUP = { '-': '\u207b', '0': '\u2070', '1': '\u00b9', '2': '\u00b2', '3': '\u00b3', '4': '\u2074',
              '5': '\u2075', '6': '\u2076', '7': '\u2077', '8': '\u2078', '9': '\u2079' };
  // Log-axis ticks: plain between 0.01 and 10,000, else 10 to a power (10⁻⁹).
  function logNum(v) {
    if (v >= 1e-2 && v < 1e4) return axisNum(v);
    var e = Math.round(Math.log10(v)), m = v / Math.pow(10, e);
    var p = String(e).split('').map(function (ch) { return SUP[ch]; }).join('');
    return (Math.abs(m - 1) < 1e-6 ? '' : axisNum(m) + '\u00d7') + '10' + p;
  }

  // Envelope series ("env": true): per display column the smallest, mean and largest value, either
  // given (min, mean, max per column of samples, made by the report) or the values themselves (v).
  // They are re-aggregated here to about one column per pixel of the plot, over the visible window,
  // so a long oscillating series draws as its mean line inside a min..max band, not a solid block.
  function envSource(s) {
    var n = s.t.length, w = new Array(n);
    for (var i = 0; i < n; i++) w[i] = (i + 1 < n ? s.t[i + 1] : s.tEnd) - s.t[i];
    return { t: s.t, lo: s.min || s.v, mid: s.mean || s.v, hi: s.max || s.v, w: w, tEnd: s.tEnd };
  }
  function aggregate(src, a, b, cols) {
    var width = (b - a) / cols, out = { t: [], lo: [], mid: [], hi: [] };
    var cur = null, mn, mx, sw, sm, t0;
    function flush() {
      if (cur === null) return;
      out.t.push(t0);
      if (sw > 0) { out.lo.push(mn); out.mid.push(sm / sw); out.hi.push(mx); }
      else { out.lo.push(null); out.mid.push(null); out.hi.push(null); }
    }
    for (var i = 0; i < src.t.length; i++) {
      var t = src.t[i];
      if (t + src.w[i] < a - width || t > b + width) continue;
      var k = Math.floor((t - a) / width);
      if (k !== cur) { flush(); cur = k; mn = Infinity; mx = -Infinity; sw = 0; sm = 0; t0 = t; }
      if (src.mid[i] !== null && src.mid[i] !== undefined) {
        mn = Math.min(mn, src.lo[i]); mx = Math.max(mx, src.hi[i]); sw += src.w[i]; sm += src.w[i] * src.mid[i];
      }
    }
    flush();
    return out;
  }
  // The three drawn series of an envelope (all named as the source, so its legend entry toggles all):
  // the band's lower edge (invisible), the band (max - min stacked on it), the mean line.
  function envData(agg, step, tEnd) {
    var lo = [], band = [], mid = [];
    for (var i = 0; i < agg.t.length; i++) {
      var t = agg.t[i], l = agg.lo[i], h = agg.hi[i];
      lo.push([t, l]); band.push([t, l === null ? null : h - l]); mid.push([t, agg.mid[i]]);
    }
    if (step && agg.t.length && tEnd !== undefined && agg.t[agg.t.length - 1] < tEnd) {
      var j = agg.t.length - 1;
      lo.push([tEnd, agg.lo[j]]); band.push([tEnd, agg.lo[j] === null ? null : agg.hi[j] - agg.lo[j]]); mid.push([tEnd, agg.mid[j]]);
    }
    return [lo, band, mid];
  }

  function timeseries(spec, el) {
    var o = base(spec);
    var unit = spec.unit !== undefined ? spec.unit : 'MW';
    var meta = [], envs = [];
    var tMin = Infinity, tMax = -Infinity;
    spec.series.forEach(function (s) {
      if (!s.t.length) return;
      tMin = Math.min(tMin, s.t[0]);
      tMax = Math.max(tMax, s.tEnd !== undefined ? s.tEnd : s.t[s.t.length - 1]);
    });
    // One column per 2 pixels: a line per pixel of an oscillation resolved at 1-2 pixels per period
    // would fill the plot again.
    var plotWidth = Math.max(50, ((el.clientWidth || 1000) - 120) / 2);
    o.series = [];
    spec.series.forEach(function (s, k) {
      var color = palette[(s.group !== undefined ? s.group : k) % palette.length];  // compare: one colour per run
      if (s.env) {
        var env = { src: envSource(s), step: !!s.step, tEnd: s.tEnd, first: o.series.length, agg: null };
        env.agg = aggregate(env.src, tMin, tMax, plotWidth);
        var d = envData(env.agg, env.step, env.tEnd);
        // A value holds from its time to the next one: the step turns at the end of its interval.
        var st = env.step ? 'end' : false;
        o.series.push({ name: s.name, type: 'line', data: d[0], showSymbol: false, stack: 'env' + k, stackStrategy: 'all',
                        step: st, lineStyle: { opacity: 0 }, itemStyle: { color: color }, silent: true });
        o.series.push({ name: s.name, type: 'line', data: d[1], showSymbol: false, stack: 'env' + k, stackStrategy: 'all',
                        step: st, lineStyle: { opacity: 0 }, areaStyle: { color: color, opacity: 0.22 },
                        itemStyle: { color: color }, silent: true });
        o.series.push({ name: s.name, type: 'line', data: d[2], showSymbol: false, step: st,
                        lineStyle: { width: 1.5, color: color }, itemStyle: { color: color } });
        meta.push({ role: 'lo' }, { role: 'band' }, { role: 'mean', env: env });
        envs.push(env);
      } else {
        var pts = new Array(s.t.length);
        for (var i = 0; i < s.t.length; i++) pts[i] = [s.t[i], s.v[i]];
        o.series.push({ name: s.name, type: 'line', data: pts, showSymbol: false, sampling: 'minmax',
                        step: s.step ? 'end' : false, lineStyle: { width: s.step && spec.series.length > 1 ? 2 : 1, color: color,
                        opacity: s.faint ? 0.35 : 1 },  // faint: an envelope's min or max (compare)
                        itemStyle: { color: color } });
        meta.push({ role: 'line', label: s.role });
      }
    });
    o.legend.data = spec.series.map(function (s) { return s.name; });
    o.tooltip = { trigger: 'axis', axisPointer: { type: 'cross' },
                  formatter: function (ps) {
                    if (!ps.length) return '';
                    var t = ps[0].value[0];
                    var lines = ['t = ' + esc(spec.clock ? clock(t) : axisNum(t) + ' s')];
                    var u = unit ? ' ' + esc(unit) : '';
                    ps.forEach(function (p) {
                      var m = meta[p.seriesIndex];
                      if (!m || m.role === 'lo' || m.role === 'band') return;
                      if (m.role === 'mean') {
                        var a = m.env.agg, i = Math.min(p.dataIndex, a.t.length - 1);
                        if (a.lo[i] !== a.hi[i])
                          return lines.push(esc(p.seriesName) + ': mean ' + num(a.mid[i]) + u + ' (min ' + num(a.lo[i]) + ', max ' + num(a.hi[i]) + ')');
                      }
                      lines.push(esc(p.seriesName) + (m.label ? ' ' + esc(m.label) : '') + ': ' + num(p.value[1]) + u);
                    });
                    return lines.join('<br>');
                  } };
    var span = tMax - tMin, xTick = { interval: tickInterval(span) };
    o.xAxis = { type: 'value', nameLocation: 'middle', nameGap: 28, min: tMin, max: tMax,
                name: !spec.clock ? 'time since start (s)' : span > 2 * 86400 ? 'time since start (day, h:mm)' : 'time since start (h:mm:ss)',
                axisLabel: { formatter: function (v) { return spec.clock ? clockTick(v, xTick.interval, span) : axisNum(v); } } };
    if (spec.clock) o.xAxis.interval = xTick.interval;
    // The y range: the data and any limit line, at least 2 % of the values' size tall (a flat PUE
    // is not drawn as noise filling the plot), padded, on round ticks.
    var lo = Infinity, hi = -Infinity;
    function extend(a) { if (a) a.forEach(function (v) { if (v !== null && v !== undefined) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }); }
    spec.series.forEach(function (s) { extend(s.min || s.v); extend(s.max || s.v); });
    extend((spec.limits || []).map(function (l) { return l.value; }));
    o.yAxis = { type: 'value', name: spec.yName, nameLocation: 'middle', nameGap: 56, axisLabel: { formatter: axisNum } };
    if (isFinite(lo)) {
      var least = 0.02 * Math.max(Math.abs(lo), Math.abs(hi)) || 1;
      if (hi - lo < least) { var mid = (hi + lo) / 2; lo = mid - least / 2; hi = mid + least / 2; }
      var pad = 0.05 * (hi - lo), raw = (hi - lo + 2 * pad) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
      var step = [1, 2, 2.5, 5, 10].map(function (f) { return f * mag; }).filter(function (v) { return v >= raw; })[0];
      o.yAxis.min = Math.floor((lo - pad) / step) * step;
      o.yAxis.max = Math.ceil((hi + pad) / step) * step;
      o.yAxis.interval = step;
    }
    if (spec.limits && spec.limits.length) {
      // Limit lines (a class limit, a throttle temperature), always inside the y range.
      o.series[o.series.length - 1].markLine = { silent: true, symbol: 'none', lineStyle: { color: '#b3261e', type: 'dashed' },
        label: { position: 'insideEndTop', color: '#b3261e', fontSize: 11, formatter: function (p) { return p.name; } },
        data: spec.limits.map(function (l) { return { name: l.name + ' ' + num(l.value), yAxis: l.value }; }) };
    }
    var zoomable = spec.series.length > 1 || spec.series[0].t.length > 200;
    if (zoomable) {
      o.dataZoom = [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' },
                    { type: 'slider', xAxisIndex: 0, bottom: 8, height: 18, filterMode: 'none',
                      labelFormatter: function (v) { return spec.clock ? clock(v) : axisNum(Math.round(v * 10) / 10); } }];
      o.grid.bottom = 70;
      o.xAxis.nameGap = 24;
      o.toolbox.feature.dataZoom = { title: { zoom: 'zoom', back: 'undo zoom' }, yAxisIndex: 'none' };
      o.toolbox.feature.restore = { title: 'reset' };
    }
    // After a zoom, the envelopes are re-aggregated to a column per pixel of the visible window.
    var rezoom = (envs.length || spec.clock) && zoomable ? function (chart) {
      var dz = chart.getOption().dataZoom[0];
      var a = tMin + (dz.start / 100) * (tMax - tMin), b = tMin + (dz.end / 100) * (tMax - tMin);
      xTick.interval = tickInterval(b - a);
      var width = Math.max(50, (chart.getWidth() - 120) / 2);
      var upd = o.series.map(function () { return {}; });
      envs.forEach(function (env) {
        env.agg = aggregate(env.src, a, b, width);
        var d = envData(env.agg, env.step, env.tEnd);
        upd[env.first].data = d[0]; upd[env.first + 1].data = d[1]; upd[env.first + 2].data = d[2];
      });
      var o2 = { series: upd };
      if (spec.clock) o2.xAxis = { interval: xTick.interval };
      chart.setOption(o2);
    } : null;
    return { option: o, after: rezoom };
  }

  function xy(spec) {
    var o = base(spec);
    o.tooltip = { trigger: 'axis', formatter: function (ps) {
      if (!ps.length) return '';
      var lines = [esc(spec.xName) + ': ' + num(ps[0].value[0])];
      ps.forEach(function (p) { lines.push(esc(p.seriesName) + ': ' + num(p.value[1])); });
      return lines.join('<br>');
    } };
    o.xAxis = { type: spec.logX ? 'log' : 'value', name: spec.xName, nameLocation: 'middle', nameGap: 28,
                min: spec.xMin !== undefined ? spec.xMin : (spec.logX ? undefined : 'dataMin'),
                max: spec.xMax !== undefined ? spec.xMax : (spec.logX ? undefined : 'dataMax') };
    o.yAxis = { type: spec.logY ? 'log' : 'value', name: spec.yName, nameLocation: 'middle', nameGap: 62, scale: true };
    if (spec.yMin !== undefined) { o.yAxis.min = spec.yMin; o.yAxis.scale = false; }
    o.xAxis.axisLabel = { formatter: spec.logX ? logNum : axisNum };
    o.yAxis.axisLabel = { formatter: spec.logY ? logNum : axisNum };
    o.series = spec.series.map(function (s) {
      var pts = [];
      for (var i = 0; i < spec.x.length; i++) if (!s.scatter || s.y[i] !== null) pts.push([spec.x[i], s.y[i]]);
      if (s.scatter) return { name: s.name, type: 'scatter', data: pts, symbolSize: 8 };
      return { name: s.name, type: 'line', data: pts, showSymbol: false };
    });
    if (spec.band) {
      o.series[0].markArea = { silent: true, itemStyle: { color: 'rgba(217,130,43,0.15)' },
        label: { show: true, position: 'insideTop', color: '#9a6200', fontSize: 11 },
        data: [[{ name: spec.band.label, xAxis: spec.band.from }, { xAxis: spec.band.to }]] };
    }
    return o;
  }

  function bar(spec) {
    var o = base(spec);
    o.tooltip = { trigger: 'axis', formatter: function (ps) {
      if (!ps.length) return '';
      var lines = [esc(spec.xName) + ' ' + esc(ps[0].name)];
      ps.forEach(function (p) { lines.push(esc(p.seriesName) + ': ' + num(p.value)); });
      return lines.join('<br>');
    } };
    o.xAxis = { type: 'category', data: spec.categories, name: spec.xName, nameLocation: 'middle', nameGap: 30,
                axisLabel: { interval: 'auto', rotate: 0 } };
    o.yAxis = { type: spec.logY ? 'log' : 'value', name: spec.yName, nameLocation: 'middle', nameGap: 56,
                axisLabel: { formatter: spec.logY ? logNum : axisNum } };
    o.series = spec.series.map(function (s) { return { name: s.name, type: 'bar', data: s.values, barCategoryGap: '10%' }; });
    return o;
  }

  function hbar(spec) {
    var o = base(spec);
    o.tooltip = { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (ps) {
      if (!ps.length) return '';
      var lines = [esc(ps[0].name)];
      ps.forEach(function (p) { lines.push(esc(p.seriesName) + ': ' + num(p.value)); });
      return lines.join('<br>');
    } };
    o.grid.left = 16;
    o.grid.containLabel = true;
    o.xAxis = { type: 'value', name: spec.xName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: axisNum } };
    o.yAxis = { type: 'category', data: spec.categories, inverse: true, axisLabel: { width: 260, overflow: 'truncate' } };
    o.series = spec.series.map(function (s) {
      return { name: s.name, type: 'bar', data: s.values,
               label: { show: true, position: 'right', fontSize: 11, formatter: function (p) { return num(p.value); } },
               markLine: spec.series.length && s === spec.series[0]
                 ? { silent: true, symbol: 'none', lineStyle: { color: '#b3261e' }, label: { show: false }, data: [{ xAxis: 0 }] }
                 : undefined };
    });
    return o;
  }

  function map(spec) {
    var o = base(spec);
    o.tooltip = { trigger: 'item', formatter: function (p) {
      if (p.seriesType !== 'scatter') return esc(p.seriesName);
      var v = p.value;
      return esc(spec.xName) + ': ' + num(v[0]) + '<br>' + esc(spec.yName) + ': ' + num(v[1]) + '<br>' + esc(spec.valueName) +
        ': ' + (v[3] ? 'not back within the evaluated window' : num(v[2]));
    } };
    o.grid.right = 110;
    o.xAxis = { type: 'log', name: spec.xName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: logNum } };
    o.yAxis = { type: 'value', name: spec.yName, nameLocation: 'middle', nameGap: 44, min: -0.05, max: 1,
                axisLabel: { formatter: function (v) { return v < 0 ? '' : axisNum(v); } } };
    o.visualMap = { type: 'continuous', min: 0, max: spec.valueMax, dimension: 2, seriesIndex: 0, right: 8, top: 'middle',
                    text: [esc(spec.valueName), ''], calculable: false,
                    inRange: { color: ['#1b7f3b', '#f2d16b', '#d9822b', '#b3261e'] } };
    o.series = [{ name: spec.valueName, type: 'scatter', symbol: 'rect', symbolSize: 14, data: spec.points }];
    (spec.lines || []).forEach(function (l) {
      o.series.push({ name: l.name, type: 'line', data: l.points, showSymbol: false, lineStyle: { color: '#222', width: 2 } });
    });
    return o;
  }

  var builders = { timeseries: timeseries, xy: xy, bar: bar, hbar: hbar, map: map };
  var ratio = Math.max(2, window.devicePixelRatio || 1);
  data.charts.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el || !builders[spec.kind]) return;
    var chart = echarts.init(el, null, { renderer: 'canvas', devicePixelRatio: ratio });
    var built = builders[spec.kind](spec, el);
    if (built.option) {
      chart.setOption(built.option);
      if (built.after) {
        chart.on('datazoom', function () { built.after(chart); });
        chart.on('restore', function () { built.after(chart); });
      }
    } else {
      chart.setOption(built);
    }
    charts.push(chart);
  });
  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener('resize', resizeAll);
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
  document.body.setAttribute('data-charts', String(charts.length));
})();

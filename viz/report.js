// dctwin report: draws the charts described in the embedded data (the JSON element "dctwin-data")
// with Apache ECharts (embedded above this script). Every chart states its unit in its title and
// axes, and what produced it (scenario, seed, dctwin version, date) in its subtitle.
// Chart kinds: "timeseries" (zoomable x/y in seconds; "unit" for the tooltip, MW when absent;
// "limits" [{name, value}] drawn as dashed horizontal lines; per series, optionally, "group" (a
// palette colour shared by the series of one run), "role" (shown after the name in the tooltip) and
// "faint"), "xy" (a line over a numeric x axis, log axes optional, a marked band optional), "bar"
// (categories), "hbar" (horizontal bars).
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

  function timeseries(spec) {
    var o = base(spec);
    o.tooltip = { trigger: 'axis', axisPointer: { type: 'cross' },
                  formatter: function (ps) {
                    if (!ps.length) return '';
                    var t = ps[0].value[0];
                    var lines = ['t = ' + esc(spec.clock ? clock(t) : (Math.round(t * 1000) / 1000) + ' s')];
                    var unit = spec.unit !== undefined ? spec.unit : 'MW';
                    ps.forEach(function (p) {
                      var role = spec.series[p.seriesIndex] && spec.series[p.seriesIndex].role;
                      lines.push(esc(p.seriesName) + (role ? ' ' + esc(role) : '') + ': ' + num(p.value[1]) + (unit ? ' ' + esc(unit) : ''));
                    });
                    return lines.join('<br>');
                  } };
    o.xAxis = { type: 'value', name: spec.clock ? 'time since start (h:mm:ss)' : 'time since start (s)',
                nameLocation: 'middle', nameGap: 28, min: 'dataMin', max: 'dataMax',
                axisLabel: { formatter: function (v) { return spec.clock ? clock(v) : String(v); } } };
    o.yAxis = { type: 'value', name: spec.yName, nameLocation: 'middle', nameGap: 56, scale: true };
    o.series = spec.series.map(function (s) {
      var pts = new Array(s.t.length);
      for (var i = 0; i < s.t.length; i++) pts[i] = [s.t[i], s.v[i]];
      var line = { name: s.name, type: 'line', data: pts, showSymbol: false, sampling: 'minmax',
                   step: s.step ? 'start' : false, lineStyle: { width: s.step && spec.series.length > 1 ? 2 : 1 } };
      if (s.group !== undefined) line.color = palette[s.group % palette.length];  // one colour per run (compare)
      if (s.faint) line.lineStyle.opacity = 0.35;  // an envelope's min or max
      return line;
    });
    if (spec.limits && spec.limits.length) {
      // Limit lines (a class limit, a throttle temperature), always inside the y range.
      var top = Math.max.apply(null, spec.limits.map(function (l) { return l.value; }));
      o.yAxis.max = function (r) { var m = Math.max(r.max, top); return m + 0.05 * Math.max(1e-9, m - r.min); };
      o.series[0].markLine = { silent: true, symbol: 'none', lineStyle: { color: '#b3261e', type: 'dashed' },
        label: { position: 'insideEndTop', color: '#b3261e', fontSize: 11, formatter: function (p) { return p.name; } },
        data: spec.limits.map(function (l) { return { name: l.name + ' ' + num(l.value), yAxis: l.value }; }) };
    }
    if (spec.series.length > 1 || spec.series[0].t.length > 200) {
      o.dataZoom = [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' },
                    { type: 'slider', xAxisIndex: 0, bottom: 8, height: 18, filterMode: 'none',
                      labelFormatter: function (v) { return spec.clock ? clock(v) : String(Math.round(v * 10) / 10); } }];
      o.grid.bottom = 70;
      o.xAxis.nameGap = 24;
      o.toolbox.feature.dataZoom = { title: { zoom: 'zoom', back: 'undo zoom' }, yAxisIndex: 'none' };
      o.toolbox.feature.restore = { title: 'reset' };
    }
    return o;
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
    if (spec.logY) o.yAxis.axisLabel = { formatter: function (v) { return v.toExponential(0); } };
    o.series = spec.series.map(function (s) {
      var pts = new Array(spec.x.length);
      for (var i = 0; i < spec.x.length; i++) pts[i] = [spec.x[i], s.y[i]];
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
    o.yAxis = { type: spec.logY ? 'log' : 'value', name: spec.yName, nameLocation: 'middle', nameGap: 56 };
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
    o.xAxis = { type: 'value', name: spec.xName, nameLocation: 'middle', nameGap: 28 };
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

  var builders = { timeseries: timeseries, xy: xy, bar: bar, hbar: hbar };
  var ratio = Math.max(2, window.devicePixelRatio || 1);
  data.charts.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el || !builders[spec.kind]) return;
    var chart = echarts.init(el, null, { renderer: 'canvas', devicePixelRatio: ratio });
    chart.setOption(builders[spec.kind](spec));
    charts.push(chart);
  });
  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener('resize', resizeAll);
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
  document.body.setAttribute('data-charts', String(charts.length));
})();

// The dashboard's charts (Pages/Reports/Index): drawn by the vendored ECharts from the JSON the page renders, labels
// already in the reader's language; a click on a bar or a point opens the orders behind it.
(function () {
  'use strict';
  function draw() {
    var source = document.getElementById('report-data');
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    // A reader who asked their system for less motion gets the charts drawn at once (and a screenshot shows them whole).
    var still = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
    function open(series, index) {
      var link = series && series.links && series.links[index];
      if (link) window.location.href = link;
    }
    function make(id, option, seriesList) {
      var el = document.getElementById(id);
      if (!el) return;
      var chart = window.echarts.init(el, null, { renderer: 'canvas' });
      option.animation = !still;
      chart.setOption(option);
      chart.on('click', function (p) { open(seriesList[p.seriesIndex], p.dataIndex); });
      charts.push(chart);
    }
    var grid = { left: 40, right: 16, top: 36, bottom: 28, containLabel: true };
    make('chart-trend', {
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: grid,
      xAxis: { type: 'category', data: data.trend.days },
      yAxis: { type: 'value', minInterval: 1 },
      series: data.trend.series.map(function (s) { return { name: s.name, type: 'line', smooth: true, data: s.data }; })
    }, data.trend.series);
    make('chart-lines', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0 }, grid: grid,
      xAxis: { type: 'category', data: data.lines.categories },
      yAxis: { type: 'value', minInterval: 1 },
      series: data.lines.series.map(function (s) { return { name: s.name, type: 'bar', stack: 'type', data: s.data }; })
    }, data.lines.series);
    make('chart-sla', {
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v + ' %'; } }, legend: { top: 0 }, grid: grid,
      xAxis: { type: 'category', data: data.sla.categories },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      series: data.sla.series.map(function (s) { return { name: s.name, type: 'bar', data: s.data }; })
    }, data.sla.series);
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw); else draw();
}());

/* Hufu dashboards: draws the charts of #dashboard with the vendored Apache ECharts.
   The figures come from the page's data-figures attribute (the same JSON as /api/dashboard);
   no inline script (CSP). Every chart item links to the list behind it (item.href).
   Each chart frame gets data-state="drawn" with data-points="N" once drawn, or data-state="error". */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || typeof echarts === "undefined") { return; }
  var data = JSON.parse(root.getAttribute("data-figures"));
  var words = JSON.parse(root.getAttribute("data-words") || "{}");
  var red = ["#8b1a1a", "#c0392b", "#e67e22", "#f1c40f", "#2e86c1", "#16a085", "#7d3c98", "#566573"];
  var charts = [];
  // tooltips drawn on the canvas: ECharts' HTML tooltips set inline styles, which the CSP (style-src 'self') blocks
  var TIP = "richText";

  function go(item) { if (item && item.href) { window.location.href = item.href; } }

  function draw(el, option, points, items, onGrid) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    option.animation = false;  // figures, not a show: a chart is whole (and clickable) as soon as it is drawn
    chart.setOption(option);
    if (onGrid) {
      // a click anywhere in the plot opens the nearest point's list: ECharts hides symbols where the axis is dense
      chart.getZr().on("click", function (e) {
        var at = [e.offsetX, e.offsetY];
        if (chart.containPixel("grid", at)) { onGrid(chart, at); }
      });
    } else {
      chart.on("click", function (p) {
        if (p.data && p.data.href) { go(p.data); } else if (items && p.dataIndex != null) { go(items[p.dataIndex]); }
      });
    }
    charts.push(chart);
    el.setAttribute("data-points", String(points));
    el.setAttribute("data-state", "drawn");
  }

  function pie(el, items) {
    draw(el, {
      color: red, tooltip: { trigger: "item", renderMode: TIP, formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "70%"], data: items.map(function (x) { return { name: x.name, value: x.value, href: x.href }; }),
        label: { formatter: "{b}\n{c}" } }]
    }, items.length);
  }

  function bar(el, items) {
    draw(el, {
      color: red, tooltip: { trigger: "axis", renderMode: TIP }, grid: { left: 150, right: 30, top: 10, bottom: 30 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: items.map(function (x) { return x.name; }) },
      series: [{ type: "bar", data: items.map(function (x) { return { value: x.value, href: x.href }; }) }]
    }, items.length);
  }

  function trend(el, t) {
    var series = [{ name: words.leads, type: "line", smooth: true, areaStyle: { opacity: 0.15 },
      data: t.detected.map(function (n, i) { return { value: n, href: t.href[i] }; }) }];
    if (t.confirmed) {
      series.push({ name: words.confirmed, type: "line", smooth: true,
        data: t.confirmed.map(function (n, i) { return { value: n, href: (t.confirmed_href || t.href)[i] }; }) });
    }
    draw(el, {
      color: red, tooltip: { trigger: "axis", renderMode: TIP }, legend: { data: series.map(function (s) { return s.name; }) },
      grid: { left: 50, right: 30, top: 40, bottom: 40 },
      xAxis: { type: "category", data: t.x }, yAxis: { type: "value", minInterval: 1 },
      series: series
    }, t.detected.reduce(function (a, b) { return a + b; }, 0) > 0 ? t.x.length : 0, null, function (chart, at) {
      var i = Math.round(chart.convertFromPixel({ seriesIndex: 0 }, at)[0]);
      if (!(i >= 0 && i < t.x.length)) { return; }
      // of the lines at that date, the one nearest the click
      var best = 0, gap = Infinity;
      series.forEach(function (s, k) {
        var d = Math.abs(chart.convertToPixel({ seriesIndex: k }, [i, s.data[i].value])[1] - at[1]);
        if (d < gap) { gap = d; best = k; }
      });
      go(series[best].data[i]);
    });
  }

  function workload(el, w) {
    var rows = (w && w.officers) || [];
    var kinds = [["open", "open_href", words.open], ["pending_review", "pending_href", words.pending_review],
      ["judged", "judged_href", words.judged]];
    draw(el, {
      color: ["#c0392b", "#e67e22", "#2e86c1"], tooltip: { trigger: "axis", renderMode: TIP },
      legend: { data: kinds.map(function (k) { return k[2]; }) },
      grid: { left: 120, right: 30, top: 40, bottom: 30 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
      series: kinds.map(function (k) {
        return { name: k[2], type: "bar", stack: k[0] === "judged" ? "done" : "queue",
          data: rows.map(function (r) { return { value: r[k[0]], href: r[k[1]] }; }) };
      })
    }, rows.reduce(function (a, r) { return a + r.open + r.pending_review + r.judged; }, 0) > 0 ? rows.length : 0);
  }

  function map(el, areas, geo) {
    var byId = {};
    (geo.features || []).forEach(function (f) { if (f.properties && f.properties.id) { byId[f.properties.id] = f.properties.name; } });
    var name = el.getAttribute("data-map-name") || "china";
    echarts.registerMap(name, geo);
    var items = areas.map(function (a) {
      return { name: byId[a.code] || a.map_name || a.name, value: a.value, cases: a.cases || 0, href: a.href, label: a.name };
    });
    var top = Math.max.apply(null, [1].concat(items.map(function (x) { return x.value; })));
    draw(el, {
      tooltip: { trigger: "item", renderMode: TIP, formatter: function (p) {
        if (!p.data) { return p.name + ": 0"; }
        return p.data.label + "\n" + words.leads + ": " + p.data.value + (data.areas_have_cases === false ? "" : "\n" + words.cases + ": " + p.data.cases);
      } },
      visualMap: { min: 0, max: top, left: 10, bottom: 10, calculable: true, inRange: { color: ["#fdecea", "#c0392b", "#6e1010"] } },
      series: [{ type: "map", map: name, roam: false, data: items, emphasis: { label: { show: true } } }]
    }, items.length);
  }

  function each(fn) {
    Array.prototype.forEach.call(root.querySelectorAll(".chart"), fn);
  }

  each(function (el) {
    var kind = el.getAttribute("data-kind");
    try {
      if (kind === "pie") { pie(el, data[el.getAttribute("data-series")] || []); }
      else if (kind === "bar") { bar(el, data[el.getAttribute("data-series")] || []); }
      else if (kind === "trend") { trend(el, data.trend); }
      else if (kind === "workload") { workload(el, data.workload); }
    } catch (e) { el.setAttribute("data-state", "error"); throw e; }
  });

  var mapEl = document.getElementById("chart-map");
  if (mapEl) {
    fetch(root.getAttribute("data-map"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("map " + r.status); } return r.json(); })
      .then(function (geo) { map(mapEl, data.areas || [], geo); })
      .catch(function (e) { mapEl.setAttribute("data-state", "error"); throw e; });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());

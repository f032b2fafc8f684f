/* Draws the site's charts with the local Vega bundle (assets/vega-bundle.js, window.vegaEmbed).
 *
 * Each chart is a <div class="vega-chart" data-llr-datasets="name …"> followed by its Vega-Lite
 * spec in <script type="application/json" data-llr-spec="div id">; each dataset a page uses is
 * written once in <script type="application/json" data-llr-dataset="name"> (llr_analysis.page); map
 * shapes are in assets/geo-<hash>.js files (window.LLR_DATA), loaded by a <script> before the charts.
 * Nothing is loaded from outside the site.
 *
 * On a narrow screen (a phone) each chart is redrawn to the width it has, never shrunk: panels side by
 * side are stacked, facets go one under another, legends move below the plot, long titles wrap and
 * plot widths shrink to fit (heights in proportion). Wider screens get the charts as designed.
 *
 * Names written on a map are placed for the map's designed size (report/charts.py label_positions); a
 * map drawn smaller (a phone, a narrow column) has the same 10 px names closer together. Once a map is
 * drawn, a name that would overlap another, leave the map or be shown below 10 px is hidden (its area
 * still names itself in its tooltip): the fewest names are dropped, those that collide most first.
 */
(function () {
  "use strict";
  var cache = {};

  function dataset(name) {
    if (!(name in cache)) {
      var block = document.querySelector('script[data-llr-dataset="' + name + '"]');
      var shared = window.LLR_DATA || {};   // map shapes: assets/geo-<hash>.js, shared by pages
      if (block) { cache[name] = JSON.parse(block.textContent); }
      else if (name in shared) { cache[name] = shared[name]; }
      else { throw new Error("dataset " + name + " is missing from the page"); }
    }
    return cache[name];
  }

  var NARROW = 640;       // px: below this a chart is laid out for the width it has
  var AXIS_ROOM = 150;    // px for axis titles and labels (labels longer than LABEL_LIMIT are cut with …)
  var LABEL_LIMIT = 110;

  function wrapTitle(title, chars) {
    var text = typeof title === "string" ? title : (title && typeof title.text === "string" ? title.text : null);
    if (!text || text.length <= chars) { return title; }
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > chars) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    lines.push(line);
    if (typeof title === "string") { return lines; }
    title.text = lines;
    return title;
  }

  function isMap(node) {
    var mark = node.mark && (node.mark.type || node.mark);
    return mark === "geoshape";
  }

  function shrink(node, room, mapRoom) {
    if (!node || typeof node !== "object") { return; }
    // a map (or a map with outlines and names layered on it) has no axes: it takes the whole width
    if (isMap(node) || (node.layer || []).some(isMap)) { room = mapRoom; }
    if (typeof node.width === "number" && node.width > room) {
      if (typeof node.height === "number") { node.height = Math.max(120, Math.round(node.height * room / node.width)); }
      node.width = room;
    }
    ["vconcat", "hconcat", "concat", "layer"].forEach(function (k) {
      (node[k] || []).forEach(function (child) { shrink(child, room, mapRoom); });
    });
    if (node.spec) { shrink(node.spec, room, mapRoom); }
  }

  function fitToWidth(spec, available) {
    if (!available || available >= NARROW) { return spec; }
    if (spec.hconcat) { spec.vconcat = spec.hconcat; delete spec.hconcat; }
    if (spec.facet && spec.facet.column) { spec.facet.row = spec.facet.column; delete spec.facet.column; }
    if (spec.encoding && spec.encoding.column) { spec.encoding.row = spec.encoding.column; delete spec.encoding.column; }
    spec.config = spec.config || {};
    spec.config.legend = Object.assign({}, spec.config.legend, {
      orient: "bottom", direction: "horizontal", columns: Math.max(1, Math.floor(available / 170)), labelLimit: 150,
      // several legends below the plot go one under another, not side by side
      layout: { bottom: { direction: "vertical", anchor: "start" } }
    });
    spec.config.axis = Object.assign({}, spec.config.axis, { labelLimit: LABEL_LIMIT });
    var chars = Math.floor(available / 7.5);
    spec.title = wrapTitle(spec.title, chars);
    (spec.vconcat || []).forEach(function (child) { child.title = wrapTitle(child.title, chars); });
    var faceted = spec.facet || (spec.encoding && spec.encoding.row);
    var single = !faceted && !spec.vconcat && !spec.concat && !hasMap(spec);
    if (single && typeof spec.width === "number") {
      // one plot (bars, lines, layers): Vega fits the whole chart, axes and labels included, to the width
      if (typeof spec.height === "number" && spec.width > available) {
        spec.height = Math.max(160, Math.round(spec.height * Math.max(0.6, available / spec.width)));
      }
      spec.width = available - 8;
      spec.autosize = { type: "fit-x", contains: "padding" };
      return spec;
    }
    // panels stacked from side by side may carry a second axis or labels: a little more room for them
    shrink(spec, available - AXIS_ROOM - (faceted ? 30 : 0) - (spec.vconcat ? 40 : 0), available - 20);
    return spec;
  }

  function hasMap(node) {
    if (!node || typeof node !== "object") { return false; }
    if (isMap(node)) { return true; }
    return ["vconcat", "hconcat", "concat", "layer"].some(function (k) {
      return (node[k] || []).some(hasMap);
    }) || hasMap(node.spec);
  }

  function declutter(div) {
    var svg = div.querySelector("svg");
    if (!svg || !svg.getBoundingClientRect().width) { return; }
    div.setAttribute("data-llr-labels", "checked");
    if (typeof window.llrDeclutterLabels === "function") {   // assets/a11y.html, on every page
      window.llrDeclutterLabels(svg, ".mark-text.role-mark text");
    }
  }

  function draw(div) {
    var block = document.querySelector('script[data-llr-spec="' + div.id + '"]');
    if (!block) { console.error("chart " + div.id + ": no spec on the page"); return; }
    try {
      var spec = JSON.parse(block.textContent);
      var names = (div.getAttribute("data-llr-datasets") || "").split(" ").filter(Boolean);
      spec.datasets = {};
      names.forEach(function (n) { spec.datasets[n] = dataset(n); });
      fitToWidth(spec, div.clientWidth);
      div.setAttribute("data-llr-drawn-for", String(div.clientWidth));
      var map = hasMap(spec);
      if (map) { div.setAttribute("data-llr-map", "1"); }
      window.vegaEmbed(div, spec, { actions: false, renderer: "svg" })
        .then(function () { if (map) { declutter(div); } })
        .catch(function (e) { console.error("chart " + div.id + ": " + e); });
    } catch (e) {
      console.error("chart " + div.id + ": " + e);
    }
  }

  function drawAll() {
    if (typeof window.vegaEmbed !== "function") {
      console.error("charts: the Vega bundle (assets/vega-bundle.js) did not load");
      return;
    }
    document.querySelectorAll(".vega-chart[data-llr-datasets]").forEach(draw);
  }

  // A chart in a tab that is not shown has no width when the page loads: it is drawn as designed, and
  // drawn again for the width it has when its tab is first shown on a narrow screen.
  document.addEventListener("shown.bs.tab", function (event) {
    var target = event.target && document.querySelector(event.target.getAttribute("data-bs-target"));
    if (!target) { return; }
    target.querySelectorAll(".vega-chart[data-llr-datasets]").forEach(function (div) {
      if (div.getAttribute("data-llr-drawn-for") === "0" && div.clientWidth && div.clientWidth < NARROW) { draw(div); }
      else if (div.getAttribute("data-llr-map") && !div.getAttribute("data-llr-labels")) { declutter(div); }
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

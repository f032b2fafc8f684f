/* Draws the site's charts with the local Vega bundle (assets/vega-bundle.js, window.vegaEmbed).
 *
 * Each chart is a <div class="vega-chart" data-llr-datasets="name …"> followed by its Vega-Lite
 * spec in <script type="application/json" data-llr-spec="div id">; each dataset a page uses is
 * written once in <script type="application/json" data-llr-dataset="name"> (llr_analysis.page).
 * Nothing is loaded from outside the site.
 */
(function () {
  "use strict";
  var cache = {};

  function dataset(name) {
    if (!(name in cache)) {
      var block = document.querySelector('script[data-llr-dataset="' + name + '"]');
      if (!block) { throw new Error("dataset " + name + " is missing from the page"); }
      cache[name] = JSON.parse(block.textContent);
    }
    return cache[name];
  }

  function draw(div) {
    var block = document.querySelector('script[data-llr-spec="' + div.id + '"]');
    if (!block) { console.error("chart " + div.id + ": no spec on the page"); return; }
    try {
      var spec = JSON.parse(block.textContent);
      var names = (div.getAttribute("data-llr-datasets") || "").split(" ").filter(Boolean);
      spec.datasets = {};
      names.forEach(function (n) { spec.datasets[n] = dataset(n); });
      window.vegaEmbed(div, spec, { actions: false, renderer: "svg" })
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

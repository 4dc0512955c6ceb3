/* The reports dashboard's charts, drawn with Chart.js (served from our static files) from the
   figures the page embeds as JSON: the same numbers as the tables beside them. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  if (!window.Chart) { return; }
  var blue = "#1f5fa8", red = "#c62828", amber = "#d08b00", green = "#2e7d32", grey = "#8a97a8";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;

  function bar(id, labels, values, label, colour, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: label, data: values, backgroundColor: colour, maxBarThickness: 36 }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: horizontal
          ? { x: { beginAtZero: true, ticks: { precision: 0 } } }
          : { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  var months = data.months;
  new Chart(document.getElementById("chart-months"), {
    data: {
      labels: months.labels,
      datasets: [
        { type: "line", label: data.text.rate, data: months.rate, borderColor: green,
          backgroundColor: green, yAxisID: "rate", spanGaps: true, tension: 0.2, clip: false },
        { type: "bar", label: data.text.resolved, data: months.resolved,
          backgroundColor: "rgba(31, 95, 168, 0.25)", yAxisID: "count", maxBarThickness: 48 }
      ]
    },
    options: {
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: {
        rate: { position: "left", min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } },
        count: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 } }
      }
    }
  });
  new Chart(document.getElementById("chart-channels"), {
    type: "doughnut",
    data: { labels: data.channels.labels,
            datasets: [{ data: data.channels.values, backgroundColor: [blue, green, amber] }] },
    options: { plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } } }
  });
  bar("chart-overdue", data.overdue.labels, data.overdue.values, data.text.overdue, red, true);
  bar("chart-apologies", data.apologies.labels, data.apologies.values, data.text.apologies, amber, false);
  bar("chart-procedures", data.procedures.labels, data.procedures.values, data.text.late, red, true);
  bar("chart-steps", data.steps.labels, data.steps.values, data.text.late, grey, true);
})();

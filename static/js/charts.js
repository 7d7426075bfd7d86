// Draws each <canvas data-chart> from the JSON in the element named by data-chart-source.
// The table beside every chart holds the same figures and is the accessible source.
document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
  var data = JSON.parse(document.getElementById(canvas.dataset.chartSource).textContent);
  // GOV.UK colours, one per series (the stages chart has seven), each at least 3:1 against the
  // white background (WCAG 2.2 1.4.11); a white edge keeps neighbouring segments apart.
  var colours = ["#1d70b8", "#28a197", "#4c2c92", "#d53880", "#00703c", "#b58840", "#505a5f"];
  var stacked = canvas.dataset.chart === "stacked-bar";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series, index) {
        return {
          label: series.label,
          data: series.data,
          backgroundColor: colours[index % colours.length],
          borderColor: "#ffffff",
          borderWidth: 1
        };
      })
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } },
      plugins: { legend: { position: "bottom" } }
    }
  });
});

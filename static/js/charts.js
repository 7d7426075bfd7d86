// Draws each <canvas data-chart> from the JSON in the element named by data-chart-source.
// The table beside every chart holds the same figures and is the accessible source.
document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
  var data = JSON.parse(document.getElementById(canvas.dataset.chartSource).textContent);
  var colours = ["#1d70b8", "#b1b4b6", "#00703c", "#f47738", "#4c2c92", "#d4351c"];
  var stacked = canvas.dataset.chart === "stacked-bar";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series, index) {
        return { label: series.label, data: series.data, backgroundColor: colours[index % colours.length] };
      })
    },
    options: {
      animation: false,
      scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } },
      plugins: { legend: { position: "bottom" } }
    }
  });
});

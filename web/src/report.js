// The page of `metarl report` and of the live dashboard (`metarl train --dashboard`). The data is one JSON object in
// the JSON element #metarl-data, written by src/Host/Reports/ReportPage.cs:
//   { title, generated, live: null | { events: URL },
//     runs: [{ name, state (complete | incomplete | running), description (the status in words),
//              status (run.json), config (config.json), metrics (metrics.csv as text),
//              evaluations: [{ source: "eval" | "study", ...eval.json }] }] }
// Live, the page starts with metrics.csv's header and the rows so far; later rows arrive as server-sent events ("row",
// "nodes", "end") and the charts grow.
// `metarl load --report DIR` writes load.html with the same page and, instead of runs, a load run's figures:
//   load: { scenario, seconds, header, steps: [figures], phases: [{ phase, start, length, steps: [figures] }],
//           samples: { seconds, copies, resident_mb, heap_mb, gauges: { name: [...] }, steps: { step: { rps, p50, p99, failed } } },
//           notes: [lines], verdict }   (figures: { step, count, ok, failed, rps, min, mean, max, p50, p75, p95, p99, bytes } in ms)
// window.metarlReport exposes the charts (their uPlot instances) to the browser tests.
(function () {
  "use strict";

  const payload = JSON.parse(document.getElementById("metarl-data").textContent);
  const api = (window.metarlReport = { charts: [], live: !!payload.live, rows: 0, ended: null });
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
  // Baselines keep one colour each across every chart; the oracles are black, Random grey.
  const fixedColors = { Oracle: "#000000", "Tracking oracle": "#000000", Random: "#9e9e9e" };
  const baselineColor = (() => {
    const given = {};
    let next = 2;
    return (policy) => fixedColors[policy] || given[policy] || (given[policy] = palette[next++ % palette.length]);
  })();

  // ---- data --------------------------------------------------------------------------------------------------------

  function newTable(header) {
    const columns = header ? header.split(",") : [];
    const data = {};
    for (const c of columns) data[c] = [];
    return { columns, data, rows: 0 };
  }

  // Appends one metrics.csv row; a row cut short while being written, or one the table already has, is ignored.
  function appendRow(table, line) {
    const cells = line.split(",");
    if (cells.length !== table.columns.length) return false;
    const update = Number(cells[0]);
    const updates = table.data[table.columns[0]];
    if (!Number.isFinite(update) || (updates.length > 0 && update <= updates[updates.length - 1])) return false;
    table.columns.forEach((c, j) => table.data[c].push(cells[j] === "" ? null : Number(cells[j])));
    table.rows++;
    return true;
  }

  function parseCsv(text) {
    const lines = (text || "").split(/\r?\n/).filter((l) => l.length > 0);
    const table = newTable(lines[0]);
    for (let i = 1; i < lines.length; i++) appendRow(table, lines[i]);
    return table;
  }

  const runs = payload.runs.map((r, i) => ({
    name: r.name,
    status: r.status,
    state: r.state,
    description: r.description,
    config: r.config,
    table: parseCsv(r.metrics),
    evaluations: r.evaluations || [],
    color: palette[i % palette.length],
  }));
  const several = runs.length > 1;
  const named = (run, what) => (several ? `${what} · ${run.name}` : what);

  // ---- charts ------------------------------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }

  const fmt = (v, digits) => (v == null || !Number.isFinite(v) ? "—" : Number(v).toLocaleString("en-US", { maximumFractionDigits: digits ?? 2 }));
  const alpha = (hex, a) => `rgba(${parseInt(hex.slice(1, 3), 16)},${parseInt(hex.slice(3, 5), 16)},${parseInt(hex.slice(5, 7), 16)},${a})`;

  // A chart of lines over a shared x axis. sources() returns the lines: { label, color, dash, xs, ys, lo?, hi? };
  // lines with lo/hi get a band (± s.e.). Lines of several runs have different xs: uPlot.join aligns them.
  function lineChart(parent, spec) {
    const box = el("div", { class: "chart", "data-chart": spec.id });
    parent.append(box);
    const lines = spec.sources();
    const series = [{ label: spec.xLabel }];
    const bands = [];
    const hidden = [];
    for (const line of lines) {
      series.push({ label: line.label, stroke: line.color, width: line.width || 1.5, dash: line.dash, spanGaps: true, points: { show: false } });
      if (line.lo) {
        const hi = series.length;
        series.push({ label: `${line.label} + s.e.`, stroke: "transparent", width: 0, spanGaps: true, points: { show: false } });
        series.push({ label: `${line.label} − s.e.`, stroke: "transparent", width: 0, spanGaps: true, points: { show: false } });
        bands.push({ series: [hi, hi + 1], fill: alpha(line.color, 0.15) });
        hidden.push(hi, hi + 1);
      }
    }
    const data = () => {
      const current = spec.sources();
      // Copies: live, rows are appended to the columns as they arrive, and a chart's data must stay what it drew.
      const tables = current.map((l) => (l.lo ? [l.xs, l.ys, l.hi, l.lo] : [l.xs, l.ys]).map((a) => a.slice()));
      return tables.length === 1 ? tables[0] : uPlot.join(tables);
    };
    const opts = {
      title: spec.title,
      width: Math.max(320, box.clientWidth || 600),
      height: 280,
      scales: { x: { time: false } },
      axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 60 }],
      series,
      bands,
      cursor: { drag: { x: true, y: false } },
    };
    const u = new uPlot(opts, lines.length ? data() : [[]], box);
    // The band edges are drawing aids, not entries of the legend.
    const legendRows = u.root.querySelectorAll(".u-legend tr.u-series");
    for (const i of hidden) if (legendRows[i]) legendRows[i].style.display = "none";
    const chart = { id: spec.id, title: spec.title, kind: spec.kind, uplot: u, refresh: () => u.setData(data()) };
    api.charts.push(chart);
    return chart;
  }

  function column(run, name) {
    return run.table.data[name] || null;
  }

  // One line per run of a metrics.csv column against the updates or the wall time.
  function metricLines(name, x, label) {
    return () =>
      runs
        .filter((run) => column(run, name))
        .map((run) => ({ label: named(run, label), color: run.color, xs: column(run, x), ys: column(run, name) }));
  }

  // The held-out (test) scores of the learner and the baselines of each run's evaluation, as horizontal lines across the run's x range.
  function baselineLines(x) {
    const lines = [];
    for (const run of runs) {
      const e = run.evaluations.find((v) => v.source === "eval") || run.evaluations[0];
      const split = e && e.splits.find((s) => s.split.startsWith("test"));
      const xs = column(run, x);
      if (!split || !xs || xs.length === 0) continue;
      const ends = [xs[0], xs[xs.length - 1]];
      split.results.forEach((r, i) =>
        lines.push({ label: named(run, `${r.policy} (held-out ${fmt(r.mean)})`), color: i === 0 ? run.color : baselineColor(r.policy), dash: i === 0 ? [2, 3] : [6, 4], width: 1.2, xs: ends, ys: [r.mean, r.mean] }));
    }
    return lines;
  }

  function section(title, note) {
    const s = el("section", { class: "section" }, el("h2", {}, title));
    if (note) s.append(el("p", { class: "note" }, note));
    document.getElementById("charts").append(s);
    const grid = el("div", { class: "grid" });
    s.append(grid);
    return grid;
  }

  // ---- sections ----------------------------------------------------------------------------------------------------

  function header() {
    const h = document.getElementById("runs");
    for (const run of runs) {
      const s = run.status || {};
      const state = api.live ? "running" : run.state || "unknown";
      const env = run.config && run.config.env ? run.config.env.name : "";
      const card = el("div", { class: "run", "data-run": run.name },
        el("span", { class: "swatch", style: `background:${run.color}` }),
        el("strong", {}, run.name),
        el("span", { class: `badge ${state}` }, state),
        // Live, run.json lags (it is written at checkpoints): the tiles say where the run is.
        el("span", {}, api.live
          ? `${env}${env ? " · " : ""}${fmt(s.updates, 0)} updates planned`
          : `${env}${env ? " · " : ""}update ${fmt(s.update, 0)} of ${fmt(s.updates, 0)} · ${fmt((s.wallSeconds || 0) / 60, 1)} min`));
      // An incomplete run says why, and how to resume it (a killed run's run.json still says "running").
      if (state === "incomplete") card.append(el("span", { class: "reason" }, run.description));
      h.append(card);
    }
  }

  function learning() {
    const evaluated = runs.some((r) => r.evaluations.length > 0);
    const grid = section("Learning", evaluated || api.live ? null : "No evaluation yet: `metarl eval <run>` adds the held-out scores of the learner and the classical baselines (reference lines here) and the adaptation curves.");
    const score = (x) => () => {
      const lines = metricLines("mean_score", x, "mean trial score")();
      for (const run of runs)
        for (const c of run.table.columns.filter((c) => c.startsWith("score_")))
          lines.push({ label: named(run, `group ${c.slice(6)}`), color: palette[(runs.indexOf(run) + 3 + run.table.columns.indexOf(c)) % palette.length], xs: column(run, x), ys: column(run, c), width: 1 });
      // Evaluation during training (eval.every): the held-out score on the rows that have one, the others spanned.
      for (const run of runs.filter((r) => (column(r, "eval_mean") || []).some((v) => v != null)))
        lines.push({ label: named(run, "held-out (eval.every)"), color: run.color, dash: [8, 3], width: 2.2, xs: column(run, x), ys: column(run, "eval_mean") });
      return lines.concat(baselineLines(x));
    };
    lineChart(grid, { id: "score-by-update", kind: "updates", title: "Mean trial score by update", xLabel: "update", yLabel: "score", sources: score("update") });
    lineChart(grid, { id: "score-by-time", kind: "updates", title: "Mean trial score by wall time", xLabel: "seconds", yLabel: "score", sources: score("seconds") });
    lineChart(grid, { id: "entropy", kind: "updates", title: "Policy entropy", xLabel: "update", yLabel: "nats", sources: metricLines("entropy", "update", "entropy") });
    lineChart(grid, { id: "policy-loss", kind: "updates", title: "Policy loss (PPO clipped surrogate)", xLabel: "update", yLabel: "loss", sources: metricLines("policy_loss", "update", "policy loss") });
    lineChart(grid, { id: "value-loss", kind: "updates", title: "Value loss", xLabel: "update", yLabel: "loss", sources: metricLines("value_loss", "update", "value loss") });
    lineChart(grid, { id: "approx-kl", kind: "updates", title: "Approximate KL of an update", xLabel: "update", yLabel: "KL", sources: metricLines("approx_kl", "update", "approx. KL") });
  }

  // The adaptation curve (mean return of episode k of a trial) of the learner and every baseline on each split.
  function adaptation() {
    const splits = [];
    for (const run of runs)
      for (const e of run.evaluations)
        for (const s of e.splits) {
          const key = `${e.source}:${s.split}`;
          let entry = splits.find((x) => x.key === key);
          if (!entry) splits.push((entry = { key, source: e, split: s.split, parts: [] }));
          entry.parts.push({ run, split: s, evaluation: e });
        }
    if (splits.length === 0) return;
    const grid = section("Adaptation within a trial", "Mean return of episode k of a trial on held-out tasks (frozen weights), the learner beside the classical baselines on the same tasks; bands are ± one standard error.");
    for (const entry of splits) {
      const what = entry.source.source === "study" ? `study${entry.source.schedule ? " under " + entry.source.schedule : ""}: ` : "";
      lineChart(grid, {
        id: `adaptation-${entry.source.source}-${entry.split}`,
        kind: "episodes",
        title: `Adaptation curve, ${what}${entry.split} tasks`,
        xLabel: "episode of the trial",
        yLabel: "mean return",
        sources: () => {
          const lines = [];
          for (const { run, split } of entry.parts)
            split.results.forEach((r, i) => {
              // eval.json of builds before the baselines' curves has the learner's curve only, under "rl2".
              if (i === 0 && !r.episodes && split.rl2) r = { ...r, episodes: split.rl2.episodes };
              if (!r.episodes) return;
              const xs = r.episodes.map((_, k) => k + 1);
              const ys = r.episodes.map((p) => p[0]);
              lines.push({
                label: named(run, r.policy), color: i === 0 ? run.color : baselineColor(r.policy), width: i === 0 ? 2.2 : 1.2, dash: i === 0 ? undefined : [5, 3],
                xs, ys, hi: r.episodes.map((p) => p[0] + p[1]), lo: r.episodes.map((p) => p[0] - p[1]),
              });
            });
          return lines;
        },
      });
      grid.append(scoreTable(entry));
    }
  }

  function scoreTable(entry) {
    const table = el("table", { class: "scores" }, el("caption", {}, `Trial score, ${entry.split} tasks`),
      el("tr", {}, el("th", {}, "policy"), el("th", {}, "mean score"), el("th", {}, "± s.e.")));
    for (const { run, split } of entry.parts)
      for (const r of split.results) table.append(el("tr", {}, el("td", {}, named(run, r.policy)), el("td", {}, fmt(r.mean)), el("td", {}, fmt(r.stderr))));
    return table;
  }

  // Non-stationary studies: the mean reward around a switch, for every policy that recorded one.
  function recovery() {
    const curves = [];
    for (const run of runs)
      for (const e of run.evaluations)
        for (const s of e.splits)
          if (s.results.some((r) => r.recoveryCurve && r.switches > 0)) curves.push({ run, e, s });
    if (curves.length === 0) return;
    const grid = section("Recovery after a change", "Mean reward per step around a switch of the task (step 0), each policy on the same switching tasks.");
    for (const { run, e, s } of curves)
      lineChart(grid, {
        id: `recovery-${e.source}-${s.split}${several ? "-" + run.name : ""}`,
        kind: "recovery",
        title: named(run, `Recovery, ${s.split} tasks${e.schedule ? " under " + e.schedule : ""}`),
        xLabel: "steps from the switch",
        yLabel: "mean reward",
        sources: () =>
          s.results
            .filter((r) => r.recoveryCurve)
            .map((r, i) => ({
              label: `${r.policy} (median recovery ${fmt(r.medianRecoverySteps, 1)} steps)`,
              color: i === 0 ? run.color : baselineColor(r.policy),
              width: i === 0 ? 2.2 : 1.2,
              xs: r.recoveryCurve.map((_, k) => k + r.recoveryCurveFirstOffset),
              ys: r.recoveryCurve,
            })),
      });
  }

  function population() {
    const grid = section("Population", "Throughput, batching and staleness over the run; a clustered run adds its nodes.");
    lineChart(grid, { id: "steps-per-second", kind: "updates", title: "Throughput (agent-steps per second, since the start)", xLabel: "update", yLabel: "steps/s", sources: metricLines("steps_per_second", "update", "steps/s") });
    lineChart(grid, { id: "mean-batch", kind: "updates", title: "Mean batch of a forward pass", xLabel: "update", yLabel: "rows", sources: metricLines("mean_batch", "update", "mean batch") });
    lineChart(grid, { id: "policy-lag", kind: "updates", title: "Policy lag (versions behind the learner)", xLabel: "update", yLabel: "versions", sources: metricLines("mean_policy_lag", "update", "mean lag") });
    lineChart(grid, {
      id: "faults", kind: "updates", title: "Faults and dropped trials (totals)", xLabel: "update", yLabel: "count",
      sources: () => metricLines("faults", "update", "env faults")().concat(metricLines("dropped_stale", "update", "stale trials dropped")().map((l) => ({ ...l, dash: [4, 3] }))),
    });
    if (runs.some((r) => column(r, "nodes"))) {
      lineChart(grid, {
        id: "nodes", kind: "updates", title: "Cluster nodes and agents per node", xLabel: "update", yLabel: "count",
        sources: () => metricLines("nodes", "update", "nodes")()
          .concat(metricLines("agents_per_node_min", "update", "fewest agents on a node")().map((l) => ({ ...l, dash: [4, 3] })))
          .concat(metricLines("agents_per_node_max", "update", "most agents on a node")().map((l) => ({ ...l, dash: [1, 3] }))),
      });
      lineChart(grid, {
        id: "rehomed", kind: "updates", title: "Agents rehomed and trials abandoned", xLabel: "update", yLabel: "count",
        sources: () => metricLines("rehomed_agents", "update", "rehomed agents")().concat(metricLines("abandoned_trials", "update", "abandoned trials")().map((l) => ({ ...l, dash: [4, 3] }))),
      });
    }
  }

  function configs() {
    const s = el("section", { class: "section" }, el("h2", {}, "Config"));
    for (const run of runs)
      s.append(el("details", { open: "" }, el("summary", {}, `${run.name}: config.json (secrets removed)`), el("pre", {}, JSON.stringify(run.config, null, 2))));
    document.getElementById("charts").append(s);
  }

  // ---- live ----------------------------------------------------------------------------------------------------------

  function tiles() {
    const run = runs[0];
    const last = (c) => {
      const col = column(run, c);
      return col && col.length ? col[col.length - 1] : null;
    };
    const box = document.getElementById("tiles");
    box.replaceChildren(
      ...[
        ["update", fmt(last("update"), 0)],
        ["score", fmt(last("mean_score"))],
        ["steps/s", fmt(last("steps_per_second"), 0)],
        ["mean batch", fmt(last("mean_batch"), 1)],
        ["policy lag", fmt(last("mean_policy_lag"), 2)],
        ["faults", fmt(last("faults"), 0)],
      ].map(([k, v]) => el("div", { class: "tile" }, el("span", {}, k), el("strong", {}, v))),
    );
  }

  function nodesTable(nodes) {
    const box = document.getElementById("nodes");
    const table = el("table", { class: "scores" }, el("caption", {}, "Cluster nodes"), el("tr", {}, el("th", {}, "node"), el("th", {}, "agents"), el("th", {}, "mean batch")));
    for (const n of nodes) table.append(el("tr", {}, el("td", {}, n.node), el("td", {}, fmt(n.agents, 0)), el("td", {}, fmt(n.meanBatch, 1))));
    box.replaceChildren(table);
  }

  function connect() {
    const run = runs[0];
    const state = document.querySelector(".badge");
    const last = () => {
      const u = column(run, "update");
      return u && u.length ? u[u.length - 1] : 0;
    };
    const events = new EventSource(`${payload.live.events}?after=${last()}`);
    let pending = false;
    const redraw = () => {
      pending = false;
      for (const c of api.charts) if (c.kind === "updates") c.refresh();
      tiles();
    };
    events.addEventListener("row", (m) => {
      if (!appendRow(run.table, m.data)) return;
      api.rows = run.table.rows;
      if (!pending) {
        pending = true;
        requestAnimationFrame(redraw);
      }
    });
    events.addEventListener("nodes", (m) => nodesTable(JSON.parse(m.data)));
    events.addEventListener("end", (m) => {
      api.ended = m.data;
      state.textContent = "ended";
      state.className = "badge ended";
      document.getElementById("live").textContent = m.data;
      events.close();
    });
    events.onerror = () => {
      if (api.ended) return;
      document.getElementById("live").textContent = "disconnected: the run stopped, or is between its updates; reconnecting…";
    };
    events.onopen = () => (document.getElementById("live").textContent = "live: a point is added as each update lands");
  }

  // ---- load runs (metarl load) ----------------------------------------------------------------------------------------

  function figuresTable(caption, rows, first) {
    const heads = [...first.map((f) => f[0]), "count", "ok", "failed", "RPS", "min ms", "mean ms", "max ms", "p50 ms", "p75 ms", "p95 ms", "p99 ms"];
    const table = el("table", { class: "scores" }, el("caption", {}, caption), el("tr", {}, ...heads.map((h) => el("th", {}, h))));
    for (const r of rows)
      table.append(el("tr", {}, ...first.map((f) => el("td", {}, f[1](r))),
        ...[fmt(r.count, 0), fmt(r.ok, 0), fmt(r.failed, 0), fmt(r.rps, 1), fmt(r.min, 3), fmt(r.mean, 3), fmt(r.max, 3), fmt(r.p50, 3), fmt(r.p75, 3), fmt(r.p95, 3), fmt(r.p99, 3)].map((v) => el("td", {}, v))));
    return table;
  }

  function loadPage(load) {
    const top = document.getElementById("runs");
    top.append(el("div", { class: "run", "data-run": load.scenario }, el("strong", {}, load.header)));
    const steps = el("section", { class: "section" }, el("h2", {}, "Steps"));
    steps.append(figuresTable("the whole run", load.steps, [["step", (r) => r.step]]));
    const byPhase = load.phases.flatMap((p) => p.steps.map((s) => ({ ...s, phase: p.phase, start: p.start, length: p.length })));
    if (byPhase.length > 0)
      steps.append(figuresTable("by phase", byPhase, [["phase", (r) => r.phase], ["from s", (r) => fmt(r.start, 1)], ["for s", (r) => fmt(r.length, 1)], ["step", (r) => r.step]]));
    steps.append(el("ul", { class: "notes" }, ...load.notes.map((n) => el("li", {}, n))));
    steps.append(el("p", { class: "verdict" }, load.verdict));
    document.getElementById("charts").append(steps);

    const t = load.samples;
    const colorOf = (i) => palette[i % palette.length];
    const over = (label, ys, i) => ({ label, color: colorOf(i), xs: t.seconds, ys });
    const grid = section("Over time", `sampled every ${fmt(t.seconds.length > 1 ? t.seconds[1] - t.seconds[0] : 0, 1)} s; each point covers the interval since the one before`);
    Object.entries(t.steps).forEach(([step, v], i) => {
      lineChart(grid, { id: `latency-${step}`, kind: "load", title: `${step}: latency (p50, p99)`, xLabel: "seconds", yLabel: "ms",
        sources: () => [over(`${step} p50`, v.p50, i), { ...over(`${step} p99`, v.p99, i), dash: [6, 4] }] });
      lineChart(grid, { id: `rps-${step}`, kind: "load", title: `${step}: requests per second (failed per second dashed)`, xLabel: "seconds", yLabel: "per s",
        sources: () => [over(`${step} RPS`, v.rps, i), { ...over(`${step} failed/s`, v.failed, 1), dash: [2, 3] }] });
    });
    lineChart(grid, { id: "memory", kind: "load", title: "Memory (MB)", xLabel: "seconds", yLabel: "MB",
      sources: () => [over("resident", t.resident_mb, 0), over("managed heap", t.heap_mb, 1)] });
    lineChart(grid, { id: "copies", kind: "load", title: "Copies (agents) running", xLabel: "seconds", yLabel: "copies", sources: () => [over("copies", t.copies, 0)] });
    Object.entries(t.gauges).forEach(([name, ys], i) =>
      lineChart(grid, { id: `gauge-${name}`, kind: "load", title: name, xLabel: "seconds", yLabel: name, sources: () => [over(name, ys, i)] }));
  }

  // ---- page ----------------------------------------------------------------------------------------------------------

  document.title = payload.title;
  document.getElementById("title").textContent = payload.title;
  document.getElementById("generated").textContent = api.live ? "" : `generated ${payload.generated}`;
  if (payload.load) loadPage(payload.load);
  else {
    header();
    if (api.live) tiles();
    learning();
    adaptation();
    recovery();
    population();
    configs();
  }
  api.rows = runs[0] ? runs[0].table.rows : 0;
  window.addEventListener("resize", () => {
    for (const c of api.charts) {
      const w = c.uplot.root.parentElement.clientWidth;
      if (w > 0) c.uplot.setSize({ width: w, height: 280 });
    }
  });
  if (api.live) connect();
})();

"""The suite's table: issue 5's targets, each as scratchnet's figure, the reference figure, their
ratio and whether the target is met, from the medians of the measurements.

The ratio always reads "times better than the reference": scratchnet / reference for rates,
reference / scratchnet for times and memory, and the share of the peak as a percentage.
"""
import statistics

# FLOPs of one training sample of 784-256-128-10 (docs/performance.md): the forward products,
# the weight gradients (as many), and the input gradients of the second and third layers only.
FORWARD_FLOPS = 2 * (784 * 256 + 256 * 128 + 128 * 10)
TRAINING_FLOPS_PER_SAMPLE = 2 * FORWARD_FLOPS + 2 * (256 * 128 + 128 * 10)
CONFIGS = [("sgd", 64), ("sgd", 256), ("adam", 64), ("adam", 256)]
OPTIMIZER_NAMES = {"sgd": "SGD-momentum", "adam": "Adam"}


def median(values):
    return statistics.median(values) if values else None


def spread(values):
    """How far a figure moved over the rounds: (highest − lowest) / median, or None for fewer than
    two rounds. Shown beside every figure, so that a target met by one lucky round shows."""
    values = [v for v in values if v is not None]
    if len(values) < 2 or not statistics.median(values):
        return None
    return (max(values) - min(values)) / statistics.median(values)


class Row:
    """One line of the table. `better` is "higher" (rates) or "lower" (times, memory); `goal` is
    the least ratio that meets the target, or None for a figure shown for information."""

    def __init__(self, label, ours=None, reference=None, better="higher", goal=None, unit="",
                 reference_note="", percent=False, check=None, ours_spread=None, reference_spread=None):
        self.label, self.ours, self.reference = label, ours, reference
        self.ours_spread, self.reference_spread = ours_spread, reference_spread
        self.better, self.goal, self.unit = better, goal, unit
        self.reference_note, self.percent = reference_note, percent
        self.check = check  # a yes/no target with no ratio: True, False, or None for a figure

    @property
    def ratio(self):
        if self.ours is None or self.reference is None or not self.ours or not self.reference:
            return None
        return self.ours / self.reference if self.better == "higher" else self.reference / self.ours

    @property
    def met(self):
        if self.check is not None:
            return self.check
        if self.goal is None:
            return None
        return self.ratio is not None and self.ratio >= self.goal

    def as_dict(self):
        return {"label": self.label, "scratchnet": self.ours, "reference": self.reference,
                "scratchnet_spread": self.ours_spread, "reference_spread": self.reference_spread,
                "reference_note": self.reference_note, "unit": self.unit, "ratio": self.ratio,
                "goal": self.goal, "met": self.met}


def fmt(value, unit):
    if value is None:
        return "n/a"
    if unit in ("samples/s", "MB", "GFLOP/s"):
        return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


# The targets, as the least ratio that meets each (docs/performance.md says where they come from).
TRAINING_GOALS = {("sgd", 64): 1.3, ("sgd", 256): 1.3, ("adam", 64): 1.5, ("adam", 256): 1.3}
ONE_THREAD_GOAL = 1.1
PEAK_SHARE_GOAL = 0.65
LATENCY_GOAL = 5
BATCH_INFERENCE_GOAL = 1.1
INFERENCE_THREADS_GOAL = 1.6
XOR_GOAL = 200


def build_rows(data):
    """The table's sections: [(title, [Row])], from the suite's collected measurements."""
    ours_rounds = data["scratchnet_train"]
    torch_rounds = data["torch_train"]
    ours = {key: median(values) for key, values in ours_rounds.items()}
    torch = {key: median(values) for key, values in torch_rounds.items()}
    setups = sorted({setup for setup, _, _ in torch_rounds})

    def fastest_torch(optimizer, batch):
        candidates = [(torch[(setup, optimizer, batch)], setup) for setup in setups
                      if torch.get((setup, optimizer, batch)) is not None]
        return max(candidates) if candidates else (None, "")

    def ours_spread(key):
        return spread(ours_rounds.get(key, []))

    sections = []
    rows = []
    for optimizer, batch in CONFIGS:
        rate, setup = fastest_torch(optimizer, batch)
        rows.append(Row(f"{OPTIMIZER_NAMES[optimizer]}, batch {batch}: 2 threads vs fastest", ours.get(
            (optimizer, batch, 2)), rate, goal=TRAINING_GOALS[(optimizer, batch)], unit="samples/s",
            reference_note=setup, ours_spread=ours_spread((optimizer, batch, 2)),
            reference_spread=spread(torch_rounds.get((setup, optimizer, batch), []))))
    for optimizer, batch in CONFIGS:
        rows.append(Row(f"{OPTIMIZER_NAMES[optimizer]}, batch {batch}: 1 thread vs 1 thread",
                        ours.get((optimizer, batch, 1)), torch.get(("t1", optimizer, batch)), goal=ONE_THREAD_GOAL,
                        unit="samples/s", reference_note="t1", ours_spread=ours_spread((optimizer, batch, 1)),
                        reference_spread=spread(torch_rounds.get(("t1", optimizer, batch), []))))
    sections.append(("Training throughput, samples/s (Fashion-MNIST, 784-256-128-10 ReLU, softmax CE) vs PyTorch",
                     rows))

    peak = data.get("peak", {})
    rows = []
    for optimizer in ("sgd", "adam"):
        rate = ours.get((optimizer, 256, 2))
        achieved = rate * TRAINING_FLOPS_PER_SAMPLE / 1e9 if rate else None
        rows.append(Row(f"{OPTIMIZER_NAMES[optimizer]}, batch 256, 2 threads: GFLOP/s / peak", achieved,
                        peak.get(2), goal=PEAK_SHARE_GOAL, unit="GFLOP/s", reference_note="2-core peak",
                        percent=True, ours_spread=ours_spread((optimizer, 256, 2)),
                        reference_spread=spread(data.get("peak_rounds", {}).get(2, []))))
    sections.append((f"Share of the measured fp32 peak ({TRAINING_FLOPS_PER_SAMPLE:,} FLOPs a sample)", rows))

    inference = data["scratchnet_inference"]
    torch_latency = {setup: median(v) for setup, v in data["torch_latency"].items()}
    torch_batch = {setup: median(v) for setup, v in data["torch_batch"].items()}
    best_latency = min(((v, s) for s, v in torch_latency.items() if v is not None), default=(None, ""))
    best_batch = max(((v, s) for s, v in torch_batch.items() if v is not None), default=(None, ""))
    latency_2 = inference.get(2, {}).get("latency", [])
    batch_1, batch_2 = inference.get(1, {}).get("batch", []), inference.get(2, {}).get("batch", [])
    rows = [Row("batch 1 latency, us", median(latency_2), best_latency[0], better="lower", goal=LATENCY_GOAL,
                unit="us", reference_note=best_latency[1], ours_spread=spread(latency_2),
                reference_spread=spread(data["torch_latency"].get(best_latency[1], []))),
            Row("batch 1000 throughput, samples/s", median(batch_2), best_batch[0], goal=BATCH_INFERENCE_GOAL,
                unit="samples/s", reference_note=best_batch[1], ours_spread=spread(batch_2),
                reference_spread=spread(data["torch_batch"].get(best_batch[1], []))),
            Row("batch 1000 throughput: 2 threads vs 1", median(batch_2), median(batch_1),
                goal=INFERENCE_THREADS_GOAL, unit="samples/s", reference_note="1 thread", ours_spread=spread(batch_2),
                reference_spread=spread(batch_1))]
    sections.append(("Inference, 2 threads vs PyTorch's fastest setup", rows))

    torch_rss = [rss for values in data["torch_rss"].values() for rss in values]
    rows = [Row("peak RSS while training, MB", max(data["scratchnet_rss"], default=None), median(torch_rss),
                better="lower", goal=4, unit="MB", reference_note="anchor", ours_spread=spread(data["scratchnet_rss"]),
                reference_spread=spread(torch_rss))]
    sections.append(("Memory (scratchnet: its largest training run; PyTorch: median anchor run)", rows))

    xor = data["xor"]
    rows = [Row("time per iteration, ns", median(xor["scratchnet"]), median(xor["numpy"]), better="lower",
                goal=XOR_GOAL, unit="ns", reference_note="numpy seed", ours_spread=spread(xor["scratchnet"]),
                reference_spread=spread(xor["numpy"]))]
    sections.append(("Stage 1 XOR (2-4-1 sigmoid, float64) vs the numpy seed's loop", rows))

    rows = []
    for optimizer in ("sgd", "adam"):
        rows.append(Row(f"{OPTIMIZER_NAMES[optimizer]}, batch 256: 2 threads vs 1", ours.get((optimizer, 256, 2)),
                        ours.get((optimizer, 256, 1)), goal=1.6, unit="samples/s", reference_note="1 thread",
                        ours_spread=ours_spread((optimizer, 256, 2)), reference_spread=ours_spread((optimizer, 256, 1))))
    identical = data["models_identical"]
    same = sum(identical)
    rows.append(Row(f"model files, --threads 1 vs 2: {same}/{len(identical)} identical",
                    check=bool(identical) and same == len(identical)))
    sections.append(("Threads (scratchnet 2 threads against itself on 1)", rows))

    fann = data.get("fann", {})
    if fann:
        rows = [Row("training, samples/s: scratchnet SGD-mom. b64 1 thread vs FANN",
                    ours.get(("sgd", 64, 1)), median(fann["train"]), unit="samples/s",
                    reference_note="batch 1", ours_spread=ours_spread(("sgd", 64, 1)),
                    reference_spread=spread(fann["train"])),
                Row("batch 1 latency, us: scratchnet 1 thread vs FANN",
                    median(inference.get(1, {}).get("latency", [])), median(fann["latency"]), better="lower",
                    unit="us", reference_note="fann_run", ours_spread=spread(inference.get(1, {}).get("latency", [])),
                    reference_spread=spread(fann["latency"])),
                Row("1000-sample throughput, samples/s: 1 thread vs FANN",
                    median(batch_1), median(fann["batch"]), unit="samples/s",
                    reference_note="fann_run", ours_spread=spread(batch_1), reference_spread=spread(fann["batch"]))]
        sections.append(("FANN 2.2, single-threaded (no target: FANN cannot express the network exactly; see notes)",
                         rows))
    return sections


def spread_text(value):
    return "" if value is None else f"±{50 * value:.0f}%"


def cells(row):
    """The row's cells after its label: scratchnet and its spread, reference and its spread, which
    reference, ratio, target, met."""
    if row.check is not None:
        return ["", "", "", "", "", "", "same", "yes" if row.check else "no"]
    ratio = row.ratio
    if ratio is None:
        ratio_text = "n/a"
    elif row.percent:
        ratio_text = f"{100 * ratio:.1f}%"
    else:
        ratio_text = f"{ratio:.2f}x"
    if row.goal is None:
        goal_text, verdict = "", "-"
    else:
        goal_text = f">={100 * row.goal:.0f}%" if row.percent else f">={row.goal:g}x"
        verdict = "yes" if row.met else "no"
    return [fmt(row.ours, row.unit), spread_text(row.ours_spread), fmt(row.reference, row.unit),
            spread_text(row.reference_spread), row.reference_note, ratio_text, goal_text, verdict]


def render(sections, repeats):
    """The table as text: a title line per section, then its rows."""
    header = ["scratchnet", "spread", "reference", "spread", "", "ratio", "target", "met"]
    lines_cells = [(row.label, cells(row)) for _, rows in sections for row in rows]
    label_width = max(len(label) for label, _ in lines_cells) + 2
    widths = [max(len(header[i]), *(len(c[i]) for _, c in lines_cells)) for i in range(len(header))]
    align = [">", ">", ">", ">", "<", ">", ">", "<"]

    def line(label, values):
        text = " ".join(f"{value:{a}{w}}" for value, a, w in zip(values, align, widths))
        return f"  {label:{label_width - 2}}{text}".rstrip()

    lines = [line("", header)]
    for title, rows in sections:
        lines += ["", title]
        lines += [line(row.label, cells(row)) for row in rows]
    lines += ["", f"Medians of {repeats} repeat(s); spread: ±half the range over the repeats, as a share of the "
                  "median. ratio: how many times better scratchnet is than the reference (reference / scratchnet "
                  "for times and memory).",
              "PyTorch setups: t1 = --threads 1 (OpenBLAS 1 thread), t1b2 = --threads 1 --blas-threads 2, "
              "t2 = --threads 2."]
    return "\n".join(lines)


def render_matmul(table):
    """The micro-benchmarks' matrix products: GFLOPS of scratchnet and OpenBLAS on 1 and 2 threads."""
    columns = [("scratchnet", 1), ("openblas", 1), ("scratchnet", 2), ("openblas", 2)]
    lines = ["Matrix products of a training step, GFLOP/s (scratchnet_microbench, median of repetitions)",
             f"  {'product':8} {'shape':>18} {'scratch 1t':>11} {'OpenBLAS 1t':>11} {'scratch 2t':>11} "
             f"{'OpenBLAS 2t':>11}"]
    for (product, inputs, outputs, batch), figures in sorted(table.items(), key=lambda item: (
            item[0][3], ["forward", "dweight", "dinput"].index(item[0][0]), -item[0][1])):
        shapes = {"forward": f"[{batch},{inputs}]x[{outputs},{inputs}]T",
                  "dweight": f"[{batch},{outputs}]Tx[{batch},{inputs}]",
                  "dinput": f"[{batch},{outputs}]x[{outputs},{inputs}]"}
        cells = " ".join(f"{figures[c]:11.1f}" if c in figures else f"{'n/a':>11}" for c in columns)
        lines.append(f"  {product:8} {shapes[product]:>18} {cells}")
    return "\n".join(lines)

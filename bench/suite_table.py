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
THREADS_GOAL = 1.6
MEMORY_GOAL = 4
# LeNet-5's targets: training against PyTorch's fastest setup (every optimizer and batch), batch-1
# latency, batch-1000 inference; threads and memory as the MLP's.
LENET_TRAINING_GOAL = 3
LENET_LATENCY_GOAL = 5
LENET_BATCH_INFERENCE_GOAL = 1.2


class Figures:
    """The medians of one network's measurements (the MLP's at the top of the suite's data,
    LeNet-5's under "lenet"), and the lookups the rows of both share."""

    def __init__(self, store):
        self.store = store
        self.ours_rounds = store["scratchnet_train"]
        self.torch_rounds = store["torch_train"]
        self.ours = {key: median(values) for key, values in self.ours_rounds.items()}
        self.torch = {key: median(values) for key, values in self.torch_rounds.items()}
        self.setups = sorted({setup for setup, _, _ in self.torch_rounds})
        self.inference = store["scratchnet_inference"]

    def fastest_torch(self, optimizer, batch):
        """PyTorch's highest median rate for this optimizer and batch, and its setup."""
        candidates = [(self.torch[(setup, optimizer, batch)], setup) for setup in self.setups
                      if self.torch.get((setup, optimizer, batch)) is not None]
        return max(candidates) if candidates else (None, "")

    def ours_spread(self, key):
        return spread(self.ours_rounds.get(key, []))

    def inference_rounds(self, threads, figure):
        return self.inference.get(threads, {}).get(figure, [])

    def training_rows(self, goals):
        """scratchnet on 2 threads against PyTorch's fastest setup, per optimizer and batch;
        `goals` maps (optimizer, batch) to the least ratio that meets the target."""
        rows = []
        for optimizer, batch in CONFIGS:
            rate, setup = self.fastest_torch(optimizer, batch)
            rows.append(Row(f"{OPTIMIZER_NAMES[optimizer]}, batch {batch}: 2 threads vs fastest",
                            self.ours.get((optimizer, batch, 2)), rate, goal=goals[(optimizer, batch)],
                            unit="samples/s", reference_note=setup,
                            ours_spread=self.ours_spread((optimizer, batch, 2)),
                            reference_spread=spread(self.torch_rounds.get((setup, optimizer, batch), []))))
        return rows

    def inference_rows(self, latency_goal, batch_goal):
        """Batch-1 latency and batch-1000 throughput on 2 threads against PyTorch's best setup for
        each, and batch-1000 throughput on 2 threads against 1."""
        torch_latency = {setup: median(v) for setup, v in self.store["torch_latency"].items()}
        torch_batch = {setup: median(v) for setup, v in self.store["torch_batch"].items()}
        best_latency = min(((v, s) for s, v in torch_latency.items() if v is not None), default=(None, ""))
        best_batch = max(((v, s) for s, v in torch_batch.items() if v is not None), default=(None, ""))
        latency_2 = self.inference_rounds(2, "latency")
        batch_1, batch_2 = self.inference_rounds(1, "batch"), self.inference_rounds(2, "batch")
        return [Row("batch 1 latency, us", median(latency_2), best_latency[0], better="lower", goal=latency_goal,
                    unit="us", reference_note=best_latency[1], ours_spread=spread(latency_2),
                    reference_spread=spread(self.store["torch_latency"].get(best_latency[1], []))),
                Row("batch 1000 throughput, samples/s", median(batch_2), best_batch[0], goal=batch_goal,
                    unit="samples/s", reference_note=best_batch[1], ours_spread=spread(batch_2),
                    reference_spread=spread(self.store["torch_batch"].get(best_batch[1], []))),
                Row("batch 1000 throughput: 2 threads vs 1", median(batch_2), median(batch_1),
                    goal=INFERENCE_THREADS_GOAL, unit="samples/s", reference_note="1 thread",
                    ours_spread=spread(batch_2), reference_spread=spread(batch_1))]

    def memory_rows(self, reference_note):
        """The peak RSS of scratchnet's largest training run against the median PyTorch run's
        (`reference_note` names the PyTorch script)."""
        torch_rss = [rss for values in self.store["torch_rss"].values() for rss in values]
        ours_rss = self.store["scratchnet_rss"]
        return [Row("peak RSS while training, MB", max(ours_rss, default=None), median(torch_rss), better="lower",
                    goal=MEMORY_GOAL, unit="MB", reference_note=reference_note, ours_spread=spread(ours_rss),
                    reference_spread=spread(torch_rss))]

    def thread_rows(self):
        """Batch-256 training on 2 threads against 1, and the model files of the 1- and 2-thread
        runs compared."""
        rows = []
        for optimizer in ("sgd", "adam"):
            rows.append(Row(f"{OPTIMIZER_NAMES[optimizer]}, batch 256: 2 threads vs 1",
                            self.ours.get((optimizer, 256, 2)), self.ours.get((optimizer, 256, 1)),
                            goal=THREADS_GOAL, unit="samples/s", reference_note="1 thread",
                            ours_spread=self.ours_spread((optimizer, 256, 2)),
                            reference_spread=self.ours_spread((optimizer, 256, 1))))
        identical = self.store["models_identical"]
        same = sum(identical)
        rows.append(Row(f"model files, --threads 1 vs 2: {same}/{len(identical)} identical",
                        check=bool(identical) and same == len(identical)))
        return rows


def build_rows(data):
    """The table's sections: [(title, [Row])], from the suite's collected measurements."""
    mlp = Figures(data)
    sections = []
    rows = mlp.training_rows(TRAINING_GOALS)
    for optimizer, batch in CONFIGS:
        rows.append(Row(f"{OPTIMIZER_NAMES[optimizer]}, batch {batch}: 1 thread vs 1 thread",
                        mlp.ours.get((optimizer, batch, 1)), mlp.torch.get(("t1", optimizer, batch)),
                        goal=ONE_THREAD_GOAL, unit="samples/s", reference_note="t1",
                        ours_spread=mlp.ours_spread((optimizer, batch, 1)),
                        reference_spread=spread(mlp.torch_rounds.get(("t1", optimizer, batch), []))))
    sections.append(("Training throughput, samples/s (Fashion-MNIST, 784-256-128-10 ReLU, softmax CE) vs PyTorch",
                     rows))

    peak = data.get("peak", {})
    rows = []
    for optimizer in ("sgd", "adam"):
        rate = mlp.ours.get((optimizer, 256, 2))
        achieved = rate * TRAINING_FLOPS_PER_SAMPLE / 1e9 if rate else None
        rows.append(Row(f"{OPTIMIZER_NAMES[optimizer]}, batch 256, 2 threads: GFLOP/s / peak", achieved,
                        peak.get(2), goal=PEAK_SHARE_GOAL, unit="GFLOP/s", reference_note="2-core peak",
                        percent=True, ours_spread=mlp.ours_spread((optimizer, 256, 2)),
                        reference_spread=spread(data.get("peak_rounds", {}).get(2, []))))
    sections.append((f"Share of the measured fp32 peak ({TRAINING_FLOPS_PER_SAMPLE:,} FLOPs a sample)", rows))
    sections.append(("Inference, 2 threads vs PyTorch's fastest setup",
                     mlp.inference_rows(LATENCY_GOAL, BATCH_INFERENCE_GOAL)))
    sections.append(("Memory (scratchnet: its largest training run; PyTorch: median anchor run)", mlp.memory_rows("anchor")))

    xor = data["xor"]
    rows = [Row("time per iteration, ns", median(xor["scratchnet"]), median(xor["numpy"]), better="lower",
                goal=XOR_GOAL, unit="ns", reference_note="numpy seed", ours_spread=spread(xor["scratchnet"]),
                reference_spread=spread(xor["numpy"]))]
    sections.append(("Stage 1 XOR (2-4-1 sigmoid, float64) vs the numpy seed's loop", rows))
    sections.append(("Threads (scratchnet 2 threads against itself on 1)", mlp.thread_rows()))

    fann = data.get("fann", {})
    if fann:
        batch_1, latency_1 = mlp.inference_rounds(1, "batch"), mlp.inference_rounds(1, "latency")
        rows = [Row("training, samples/s: scratchnet SGD-mom. b64 1 thread vs FANN",
                    mlp.ours.get(("sgd", 64, 1)), median(fann["train"]), unit="samples/s",
                    reference_note="batch 1", ours_spread=mlp.ours_spread(("sgd", 64, 1)),
                    reference_spread=spread(fann["train"])),
                Row("batch 1 latency, us: scratchnet 1 thread vs FANN",
                    median(latency_1), median(fann["latency"]), better="lower",
                    unit="us", reference_note="fann_run", ours_spread=spread(latency_1),
                    reference_spread=spread(fann["latency"])),
                Row("1000-sample throughput, samples/s: 1 thread vs FANN",
                    median(batch_1), median(fann["batch"]), unit="samples/s",
                    reference_note="fann_run", ours_spread=spread(batch_1), reference_spread=spread(fann["batch"]))]
        sections.append(("FANN 2.2, single-threaded (no target: FANN cannot express the network exactly; see notes)",
                         rows))
    if "lenet" in data:
        sections += lenet_sections(Figures(data["lenet"]))
    return sections


def lenet_sections(lenet):
    """LeNet-5's sections: training, inference, threads and memory against its PyTorch script."""
    return [("LeNet-5 training throughput, samples/s (Fashion-MNIST [1,28,28]) vs PyTorch's fastest setup",
             lenet.training_rows({config: LENET_TRAINING_GOAL for config in CONFIGS})),
            ("LeNet-5 inference, 2 threads vs PyTorch's fastest setup",
             lenet.inference_rows(LENET_LATENCY_GOAL, LENET_BATCH_INFERENCE_GOAL)),
            ("LeNet-5 threads (scratchnet 2 threads against itself on 1)", lenet.thread_rows()),
            ("LeNet-5 memory (scratchnet: its largest training run; PyTorch: median run)", lenet.memory_rows("PyTorch"))]


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

#!/usr/bin/python3
"""scratchnet's benchmark suite (issue 5): scratchnet and its references measured side by side
in one invocation, and a table of issue 5's targets with the figures, ratios and verdicts.

Usage: /usr/bin/python3 bench/suite.py [--build-dir build] [--repeats 5] [--quick]
                                       [--anchor PATH] [--json-out FILE] [--no-micro] [--no-lenet]
                                       [--as-avx2]
`make bench` builds in Release and runs it. docs/performance.md explains every row.

Each repeat ("round") runs every contender once, and successive rounds run them in reverse
order, so slow phases of this shared machine fall on both sides; every figure is a median over
the rounds. The contenders:
  * scratchnet train on Fashion-MNIST, 784-256-128-10 ReLU, softmax cross-entropy, for SGD
    with momentum (lr .1, momentum .9) and Adam (lr 1e-3) at batch 64 and 256, on 1 and 2
    threads; 2 epochs, the second one's samples/s; the model files of the 1- and 2-thread runs
    compared byte for byte; the process's peak RSS;
  * PyTorch: the anchor ../shared/anchors/torch_mlp_fmnist.py --no-acc in three thread setups
    (--threads 1; --threads 1 --blas-threads 2; --threads 2), the fastest taken per figure;
  * scratchnet_bench_inference (1 and 2 threads) on the anchor's inference protocol;
  * scratchnet_bench_fann: FANN 2.2 on the nearest network it can express;
  * Stage 1 XOR: scratchnet_bench_xor against bench/xor_numpy_seed.py, the seed's own loop;
  * scratchnet_microbench's FMA peak (the highest round counts: interference only lowers it);
  * LeNet-5 (unless --no-lenet): scratchnet train --layers <LeNet-5's spec> as the MLP's training
    runs, bench/torch_lenet_fmnist.py --no-acc in the same three PyTorch setups, and
    scratchnet_bench_inference --layers <LeNet-5's spec> on 1 and 2 threads;
and, once at the end, scratchnet_microbench's matrix-product table.
PyTorch and the micro-benchmarks (which contain OpenBLAS) run without OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE, as the anchor's protocol asks; nothing else changes the environment.

--as-avx2 measures as on an AVX2 machine, on an AVX-512 one: scratchnet takes its AVX2 path
(SCRATCHNET_ISA=avx2), PyTorch its AVX2 kernels (ATEN_CPU_CAPABILITY=avx2) and OpenBLAS's Haswell
ones (OPENBLAS_CORETYPE=Haswell), numpy none of its AVX-512 loops; the peak is the AVX2 one.

--quick runs every contender once on tiny work (a 512-row IDX file instead of Fashion-MNIST for
training, few samples, one PyTorch setup) through the same parsing and table code, keeping the
environment as it is; CI runs it so that the suite cannot rot. Its figures are not measurements.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import suite_runs as runs
import suite_table as table

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(HERE)


def parse_args():
    parser = argparse.ArgumentParser(description="scratchnet's benchmark suite against the numpy seed, "
                                                 "PyTorch and FANN")
    parser.add_argument("--build-dir", default=os.path.join(REPOSITORY, "build"),
                        help="a Release build with the benchmarks (default: build)")
    parser.add_argument("--repeats", type=int, default=5, help="rounds of every contender (default 5)")
    parser.add_argument("--quick", action="store_true", help="one round of tiny work, to test the suite")
    parser.add_argument("--anchor", default=os.path.join(REPOSITORY, "..", "shared", "anchors",
                                                         "torch_mlp_fmnist.py"),
                        help="the PyTorch anchor script")
    parser.add_argument("--json-out", help="write every measurement and the table here "
                                           "(default: BUILD_DIR/bench-results.json)")
    parser.add_argument("--no-micro", action="store_true", help="skip the matrix-product table")
    parser.add_argument("--no-lenet", action="store_true", help="skip LeNet-5 (its training, PyTorch and inference)")
    parser.add_argument("--as-avx2", action="store_true",
                        help="measure as on an AVX2 machine: every contender limited to AVX2 (see the notes)")
    args = parser.parse_args()
    if args.quick:
        args.repeats = 1
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def commit_description():
    """The commit measured, and whether the work tree differs from it."""
    try:
        commit = subprocess.run(["git", "-C", REPOSITORY, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPOSITORY, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return commit + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"


# --as-avx2: what makes every contender run its AVX2 code on an AVX-512 machine. The variables
# for all are set in this process (the children inherit them); OpenBLAS's core type is added to
# the reference environment only, which otherwise drops it.
AS_AVX2_ALL = {"SCRATCHNET_ISA": "avx2", "ATEN_CPU_CAPABILITY": "avx2",
               "NPY_DISABLE_CPU_FEATURES": "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"}
AS_AVX2_REFERENCES = {"OPENBLAS_CORETYPE": "Haswell"}


def measurement_store():
    """Where one network's measurements go, round after round (the MLP's at the top of the
    suite's data, LeNet-5's under "lenet")."""
    return {"scratchnet_train": {}, "scratchnet_rss": [], "models_identical": [], "torch_train": {},
            "torch_batch": {}, "torch_latency": {}, "torch_rss": {}, "torch_printed_rss": [],
            "scratchnet_inference": {}}


class Network:
    """A network measured on both sides: its name in the log, its layer spec, its PyTorch script
    (and that script's extra flags), the time limit of one training run, and its measurements."""

    def __init__(self, name, spec, torch_script, torch_flags, train_timeout, store):
        self.name, self.spec, self.torch_script, self.torch_flags = name, spec, torch_script, torch_flags
        self.train_timeout, self.store = train_timeout, store


class Suite:
    """The measurements of one invocation, gathered round by round."""

    def __init__(self, args, scratch_folder):
        self.args = args
        build = os.path.abspath(args.build_dir)
        self.scratchnet = os.path.join(build, "scratchnet")
        self.programs = {name: os.path.join(build, "bench", name) for name in
                         ("scratchnet_microbench", "scratchnet_bench_inference", "scratchnet_bench_xor",
                          "scratchnet_bench_fann")}
        missing = [path for path in [self.scratchnet, *self.programs.values()] if not os.access(path, os.X_OK)]
        if missing:
            sys.exit("suite: missing " + ", ".join(missing) + "; build with the benchmarks first (make bench)")
        self.folder = scratch_folder
        if args.as_avx2:
            os.environ.update(AS_AVX2_ALL)
        self.reference_env = runs.reference_environment(keep=args.quick)
        if args.as_avx2:
            self.reference_env.update(AS_AVX2_REFERENCES)
        self.has_torch = os.path.isfile(args.anchor)
        self.torch_setups = ["t1"] if args.quick else list(runs.TORCH_SETUPS)
        self.train_data = (runs.write_tiny_idx(scratch_folder) if args.quick else ["--data", "fashion-mnist"])
        self.data = {**measurement_store(), "torch_info": {}, "fann": {}, "fann_info": {},
                     "xor": {"scratchnet": [], "numpy": []}, "peak_rounds": {}, "peak": {}, "clock_rounds": [],
                     "load_average": [os.getloadavg()[0]], "failures": []}
        self.mlp = Network("MLP", runs.NETWORK, args.anchor, [], 120, self.data)
        self.networks = [self.mlp]
        if not args.no_lenet:
            self.data["lenet"] = measurement_store()
            # A 1-thread LeNet-5 run takes about 7 s on a quiet machine, several times the MLP's.
            self.lenet = Network("LeNet-5", runs.LENET, os.path.join(HERE, "torch_lenet_fmnist.py"),
                                 ["--quick"] if args.quick else [], 300, self.data["lenet"])
            self.networks.append(self.lenet)

    def log(self, message):
        print(message, file=sys.stderr, flush=True)

    # --- the jobs of one round -------------------------------------------------------------
    def train_job(self, network, optimizer, batch, threads, round_models):
        def job():
            path = os.path.join(self.folder, f"{network.name}-{optimizer}-{batch}-{threads}.safetensors")
            result = runs.scratchnet_train(self.scratchnet, self.train_data, optimizer, batch, threads, path,
                                           network=network.spec, timeout=network.train_timeout)
            network.store["scratchnet_train"].setdefault((optimizer, batch, threads), []).append(
                result["samples_per_second"])
            network.store["scratchnet_rss"].append(result["peak_rss_mb"])
            round_models[(network.name, optimizer, batch, threads)] = result["model_sha256"]
            self.log(f"  scratchnet train {network.name} {optimizer} batch {batch} threads {threads}: "
                     f"{result['samples_per_second']:,.0f} samples/s, {result['peak_rss_mb']:.0f} MB")
        return job

    def torch_job(self, network, setup):
        def job():
            result = runs.torch_anchor(network.torch_script, setup, self.reference_env, network.torch_flags)
            store = network.store
            for (optimizer, batch), figures in result["train"].items():
                store["torch_train"].setdefault((setup, optimizer, batch), []).append(figures["samples_per_second"])
            store["torch_batch"].setdefault(setup, []).append(result["batch_samples_per_second"])
            store["torch_latency"].setdefault(setup, []).append(result["batch1_latency_us"])
            store["torch_rss"].setdefault(setup, []).append(result["peak_rss_mb"])
            store["torch_printed_rss"].append(result["printed_peak_rss_mb"])
            self.data["torch_info"] = {"torch": result["torch"], "openblas_core": result["openblas_core"]}
            rates = ", ".join(f"{o} {b}: {f['samples_per_second']:,.0f}" for (o, b), f in result["train"].items())
            self.log(f"  PyTorch {network.name} {setup} (OpenBLAS {result['openblas_threads']} threads): {rates} "
                     f"samples/s; latency {result['batch1_latency_us']:.1f} us; {result['peak_rss_mb']:.0f} MB "
                     f"(it printed {result['printed_peak_rss_mb']:.0f})")
        return job

    def inference_job(self, network, threads):
        def job():
            command = [self.programs["scratchnet_bench_inference"], "--threads", str(threads),
                       "--layers", network.spec]
            if self.args.quick:
                command += ["--passes", "1", "--warmup", "5", "--samples", "20"]
            result = runs.json_program(command)
            figures = network.store["scratchnet_inference"].setdefault(threads, {"batch": [], "latency": []})
            figures["batch"].append(result["batch_samples_per_second"])
            figures["latency"].append(result["batch1_latency_us"])
            self.log(f"  scratchnet inference {network.name} threads {threads}: "
                     f"{result['batch_samples_per_second']:,.0f} samples/s, latency {result['batch1_latency_us']:.1f} us")
        return job

    def fann_job(self):
        def job():
            command = [self.programs["scratchnet_bench_fann"]]
            if self.args.quick:
                command += ["--train-samples", "20", "--warmup", "5", "--passes", "1", "--inference-samples", "50",
                            "--latency-samples", "20"]
            result = runs.json_program(command)
            for key, field in (("train", "train_samples_per_second"), ("batch", "batch_samples_per_second"),
                               ("latency", "batch1_latency_us")):
                self.data["fann"].setdefault(key, []).append(result[field])
            self.data["fann_info"] = {k: result[k] for k in ("network", "loss", "training", "lr", "momentum")}
            self.log(f"  FANN: train {result['train_samples_per_second']:,.0f} samples/s, inference "
                     f"{result['batch_samples_per_second']:,.0f} samples/s, latency {result['batch1_latency_us']:.1f} us")
        return job

    def xor_jobs(self):
        def ours():
            command = [self.programs["scratchnet_bench_xor"]]
            if self.args.quick:
                command += ["--iterations", "2000", "--repeats", "1"]
            result = runs.json_program(command)
            self.data["xor"]["scratchnet"].append(result["ns_per_iteration"])
            self.log(f"  scratchnet XOR: {result['ns_per_iteration']:,.1f} ns/iteration")

        def numpy_seed():
            command = [runs.PYTHON, os.path.join(HERE, "xor_numpy_seed.py")]
            if self.args.quick:
                command += ["--iterations", "100", "--repeats", "1"]
            result = runs.json_program(command)
            self.data["xor"]["numpy"].append(result["ns_per_iteration"])
            self.log(f"  numpy seed XOR: {result['ns_per_iteration']:,.1f} ns/iteration")
        return [ours, numpy_seed]

    def network_jobs(self, network, round_models):
        """One round of a network: scratchnet's training runs, PyTorch's setups, inference."""
        jobs = [self.train_job(network, o, b, t, round_models) for o, b in table.CONFIGS for t in (1, 2)]
        if os.path.isfile(network.torch_script):
            jobs += [self.torch_job(network, setup) for setup in self.torch_setups]
        return jobs + [self.inference_job(network, 2), self.inference_job(network, 1)]

    def round_jobs(self, round_models):
        jobs = [*self.network_jobs(self.mlp, round_models), self.fann_job(), *self.xor_jobs()]
        if not self.args.no_lenet:
            jobs += self.network_jobs(self.lenet, round_models)
        return jobs

    def peak_job(self):
        def job():
            peak = runs.fma_peak(self.programs["scratchnet_microbench"], self.reference_env, self.args.quick)
            self.data["peak_isa"] = peak["isa"]
            self.data["matmul_kernel"] = peak["matmul_kernel"]
            self.data["peak_lanes"] = peak["lanes"]
            for threads in (1, 2):
                self.data["peak_rounds"].setdefault(threads, []).append(peak[threads])
            if peak["clock"]:
                self.data["clock_rounds"].append(peak["clock"])
            self.log(f"  fp32 peak ({peak['isa']}): {peak[1]:.0f} GFLOP/s on 1 core, {peak[2]:.0f} on 2; "
                     f"clock {peak['clock'] or 0:.2f} GHz")
        return job

    def run(self):
        for round_index in range(self.args.repeats):
            self.log(f"round {round_index + 1}/{self.args.repeats}")
            round_models = {}
            jobs = [self.peak_job(), *self.round_jobs(round_models)]
            for job in (jobs if round_index % 2 == 0 else reversed(jobs)):
                self.attempt(job)
            for network in self.networks:
                for optimizer, batch in table.CONFIGS:
                    models = [round_models.get((network.name, optimizer, batch, threads)) for threads in (1, 2)]
                    if None not in models:
                        network.store["models_identical"].append(models[0] == models[1])
        # A peak is what the cores can do: interference only ever lowers a measurement of it, so
        # the highest round counts.
        # The clock likewise: a busy core is not slower, but a busy machine may be measured late.
        self.data["peak"] = {"isa": self.data.get("peak_isa"), "lanes": self.data.get("peak_lanes", 1),
                             "clock": max(self.data["clock_rounds"], default=None),
                             **{t: max(v) for t, v in self.data["peak_rounds"].items()}}
        if not self.args.no_micro:
            self.log("matrix products (scratchnet_microbench):")
            self.attempt(self.matmul_job)

    def matmul_job(self):
        self.data["matmul"] = runs.matmul_table(self.programs["scratchnet_microbench"], self.reference_env,
                                                self.args.quick)

    def attempt(self, job):
        """Runs one job; a failure is recorded and reported at the end, and the suite goes on, so
        one broken contender costs its own figures and not the whole run's."""
        try:
            job()
        except runs.SuiteError as error:
            self.data["failures"].append(str(error))
            self.log(f"  FAILED: {error}")


def notes(suite):
    info = suite.data
    peak = info["peak"]
    lines = ["Notes:",
             f"- Peak: {peak.get('isa')} FMA chains, {peak.get(1, 0):.0f} GFLOP/s on 1 core, {peak.get(2, 0):.0f} on 2 "
             "(scratchnet_microbench peak/, measured every round, the highest round's median). Training FLOPs "
             "a sample: forward 2*(784*256+256*128+128*10) = 469,504, weight gradients the same, input gradients "
             "of layers 2-3 2*(256*128+128*10) = 68,096.",
             peak_check(peak),
             "- scratchnet's samples/s is its 2nd epoch, whole: shuffling and gathering each batch (bytes to "
             "float) included. PyTorch's is the anchor's timed epoch over tensors shuffled and gathered "
             "before its timer starts (after 30 warm-up batches).",
             "- Memory: peak RSS of each process from os.wait4 (the anchor's own peakRSS printout: median "
             f"{table.median(info['torch_printed_rss']) or 0:.0f} MB). PyTorch's process holds the data sets as "
             "float32; scratchnet keeps pixels as bytes.",
             "- XOR: scratchnet_bench_xor times train_xor (seed 0, 200,000 iterations a run, network "
             "construction included); the numpy seed's loop is timed alone, 1,500 iterations a run.",
             "- FANN 2.2 has no ReLU, softmax, cross-entropy, mini-batches, Adam or threads: it runs "
             "784-256-128-10 with FANN_LINEAR_PIECE hidden units (ReLU clipped at 1), MSE on one-hot "
             "targets, per-sample SGD with momentum, and one sample per fann_run."]
    if "lenet" in info:
        lines.append(f"- LeNet-5 is {runs.LENET} on [1,28,28] images, timed as the MLP: scratchnet train's 2nd "
                     "epoch against bench/torch_lenet_fmnist.py --no-acc (the anchor's protocol, same three "
                     "setups), and scratchnet_bench_inference --layers with it (PyTorch's own peakRSS printout: "
                     f"median {table.median(info['lenet']['torch_printed_rss']) or 0:.0f} MB).")
    if peak.get(2, 0) < 1.8 * peak.get(1, 0):
        lines.append("- WARNING: 2 cores never reached 1.8x one core's peak: the machine was busy, so 2-thread "
                     "figures (and the share of the peak) are not trustworthy. Run the suite again on a quiet machine.")
    if suite.args.quick:
        lines.append("- QUICK RUN: tiny work, environment unchanged; these figures are not measurements.")
    else:
        lines.append("- PyTorch and scratchnet_microbench ran without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE.")
    if not suite.has_torch:
        lines.append(f"- PyTorch skipped: no anchor at {suite.args.anchor}.")
    return "\n".join(lines)


def peak_check(peak):
    """The peak against units x lanes x 2 x clock: the FMA instructions a core must start per cycle
    to reach the measured peak at the measured clock. A whole number (2 on the x86 cores we know)
    says the peak is right; much less says the chains were too few (or spilled)."""
    clock, lanes = peak.get("clock"), peak.get("lanes", 1)
    if not clock or not peak.get(1):
        return "- Peak check: no clock measured."
    per_cycle = peak[1] / (lanes * 2 * clock)
    return (f"- Peak check: {peak[1]:.0f} GFLOP/s / ({lanes} lanes x 2 FLOPs x {clock:.2f} GHz, the clock from "
            f"dependent additions) = {per_cycle:.2f} vector FMAs per cycle per core, i.e. the number of FMA units "
            "the peak implies (docs/performance.md lists them per CPU).")


def json_ready(value):
    """`value` with tuple keys turned into strings, for json.dump."""
    if isinstance(value, dict):
        return {("/".join(map(str, k)) if isinstance(k, tuple) else str(k)): json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value


def main():
    args = parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="scratchnet-bench-") as folder:
        suite = Suite(args, folder)
        suite.run()
    suite.data["load_average"].append(os.getloadavg()[0])
    sections = table.build_rows(suite.data)
    torch_info = suite.data["torch_info"]
    print(f"scratchnet benchmark suite: {time.strftime('%Y-%m-%d %H:%M')}, commit {commit_description()}")
    print(f"machine: {runs.machine_description()}; PyTorch {torch_info.get('torch', 'n/a')} "
          f"(OpenBLAS core {torch_info.get('openblas_core', 'n/a')}); {suite.data['peak'].get('isa')} peak "
          f"{suite.data['peak'].get(1, 0):.0f} GFLOP/s on 1 core, {suite.data['peak'].get(2, 0):.0f} on 2; "
          "load average {:.2f} before, {:.2f} after".format(*suite.data["load_average"]))
    print(f"scratchnet's matrix-product microkernel: {suite.data.get('matmul_kernel', '?')}")
    if args.as_avx2:
        print("as an AVX2 machine (--as-avx2): " + ", ".join(
            f"{name}={value}" for name, value in {**AS_AVX2_ALL, **AS_AVX2_REFERENCES}.items()))
    print()
    print(table.render(sections, args.repeats))
    print()
    print(notes(suite))
    if "matmul" in suite.data:
        print()
        print(table.render_matmul(suite.data["matmul"]))
    seconds = time.perf_counter() - start
    print()
    print(f"suite time: {seconds:.0f} s")
    failures = suite.data["failures"]
    if failures:
        print(f"\n{len(failures)} run(s) FAILED; the table lacks their figures:")
        for failure in failures:
            print("- " + failure.replace("\n", "\n  "))
    json_path = args.json_out or os.path.join(args.build_dir, "bench-results.json")
    with open(json_path, "w") as file:
        json.dump({"measurements": json_ready(suite.data), "quick": args.quick, "as_avx2": args.as_avx2,
                   "repeats": args.repeats,
                   "commit": commit_description(), "seconds": seconds,
                   "table": [{"section": title, "rows": [row.as_dict() for row in rows]}
                             for title, rows in sections]}, file, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

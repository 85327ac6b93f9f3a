"""The contenders of the benchmark suite: each one run as a child process, what it prints read
back, and the child's peak resident memory taken from the kernel (os.wait4's rusage).

Every function returns a plain dict of figures and raises SuiteError, quoting the output, when a
program fails or prints something the parser does not recognise, so a changed output format
fails loudly instead of giving a wrong table.
"""
import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
import time

PYTHON = "/usr/bin/python3"  # Debian's, with numpy and torch; a pyenv python3 may shadow it
NETWORK = "256:relu,128:relu,10"
LENET = "conv:6:5:padding=2:relu,maxpool:2,conv:16:5:relu,maxpool:2,flatten,120:relu,84:relu,10"
# The anchor's constant rates (the train command's default schedule is a cosine).
OPTIMIZER_FLAGS = {"sgd": ["--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.9",
                           "--schedule", "constant"],
                   "adam": ["--optimizer", "adam", "--lr", "1e-3", "--schedule", "constant"]}
# PyTorch's thread setups, as the anchor's flags set them (see its docstring).
TORCH_SETUPS = {"t1": ["--threads", "1"],
                "t1b2": ["--threads", "1", "--blas-threads", "2"],
                "t2": ["--threads", "2"]}


class SuiteError(RuntimeError):
    pass


def reference_environment(keep):
    """The environment for the reference programs (PyTorch, and the micro-benchmarks, which
    contain OpenBLAS): this one without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, as the anchor's
    protocol asks, unless `keep`."""
    if keep:
        return dict(os.environ)
    return {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}


def run_child(command, env=None, timeout=300):
    """Runs `command` to its end; returns (stdout, peak RSS in MB). The child is reaped with
    os.wait4, whose rusage gives its own peak resident set size. One still running after
    `timeout` seconds, many times what it needs even on a busy machine, has hung: it is killed
    and reported."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            process.kill()
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if timed_out.is_set():
        raise SuiteError(f"{' '.join(command)}\nstill running after {timeout} s: killed")
    if process.returncode != 0:
        raise SuiteError(f"{' '.join(command)}\nexited with {process.returncode}; stderr:\n{stderr[-3000:]}"
                         f"\nstdout:\n{stdout[-2000:]}")
    return stdout, usage.ru_maxrss / 1024  # Linux reports kilobytes


def parse_json(command, stdout):
    try:
        return json.loads(stdout)
    except json.JSONDecodeError as error:
        raise SuiteError(f"{' '.join(command)}: output is not JSON ({error}):\n{stdout[:2000]}") from None


def scratchnet_train(binary, data_flags, optimizer, batch, threads, model_path, epochs=2, network=NETWORK,
                     timeout=120):
    """`scratchnet train` on the network `network` (a layer spec) for `epochs` epochs; its last
    epoch's samples/s (the first warms up), the peak RSS of the process and the SHA-256 of the
    saved model file. `timeout`: seconds before the run counts as hung."""
    command = [binary, "train", *data_flags, "--layers", network, "--epochs", str(epochs),
               "--val-split", "0", "--batch", str(batch), "--threads", str(threads), "--json",
               "--quiet", *OPTIMIZER_FLAGS[optimizer], "--out", model_path]
    stdout, rss = run_child(command, timeout=timeout)
    report = parse_json(command, stdout)
    try:
        rates = [epoch["samples_per_second"] for epoch in report["epochs"]]
    except (KeyError, TypeError):
        raise SuiteError(f"{' '.join(command)}: no epochs[].samples_per_second in\n{stdout[:2000]}") from None
    if len(rates) != epochs:
        raise SuiteError(f"{' '.join(command)}: expected {epochs} epochs, got {len(rates)}")
    with open(model_path, "rb") as model:
        digest = hashlib.sha256(model.read()).hexdigest()
    return {"samples_per_second": rates[-1], "first_epoch_samples_per_second": rates[0],
            "peak_rss_mb": rss, "model_sha256": digest}


_TORCH_HEADER = re.compile(r"^torch (\S+) .*?(openblas core=(\S+) threads=(\d+)|openblas \?)", re.M)
_TORCH_TRAIN = re.compile(r"^train (\w+)\s+bs=\s*(\d+): epoch ([\d.]+)s -> ([\d,]+) samples/s; "
                          r"chunk median ([\d,]+)", re.M)
_TORCH_INFERENCE = re.compile(r"^inference bs1000: ([\d,]+) samples/s; bs1 latency median ([\d.]+) us", re.M)
_TORCH_FINAL = re.compile(r"^FINAL torch_\w+ .* peakRSS=(\d+)MB", re.M)


def parse_torch_anchor(output):
    """The figures of one run of the anchor (torch_mlp_fmnist.py --no-acc, or
    torch_lenet_fmnist.py --no-acc, which prints the same lines): for each optimizer and batch its
    timed epoch's samples/s, the inference figures, its own peakRSS line and the versions in its
    header. Raises SuiteError if any is missing."""
    header = _TORCH_HEADER.search(output)
    train = {(name, int(batch)): {"samples_per_second": float(rate.replace(",", "")),
                                  "chunk_median_samples_per_second": float(chunk.replace(",", ""))}
             for name, batch, _, rate, chunk in _TORCH_TRAIN.findall(output)}
    inference = _TORCH_INFERENCE.search(output)
    final = _TORCH_FINAL.search(output)
    wanted = [(name, batch) for name in ("sgd", "adam") for batch in (64, 256)]
    if not header or not inference or not final or any(key not in train for key in wanted):
        raise SuiteError("unrecognised output from the PyTorch anchor:\n" + output[:3000])
    return {"torch": header.group(1),
            "openblas_core": header.group(3) or "?",
            "openblas_threads": int(header.group(4)) if header.group(4) else None,
            "train": train,
            "batch_samples_per_second": float(inference.group(1).replace(",", "")),
            "batch1_latency_us": float(inference.group(2)),
            "printed_peak_rss_mb": float(final.group(1))}


def torch_anchor(anchor, setup, env, extra_flags=()):
    """One run of the PyTorch anchor (or LeNet's script) with the thread setup `setup` (a
    TORCH_SETUPS key) and `extra_flags`."""
    # Its --threads 2 setup slows to a few thousand samples/s when another process holds a core.
    stdout, rss = run_child([PYTHON, anchor, *TORCH_SETUPS[setup], "--no-acc", *extra_flags], env=env,
                            timeout=1200)
    result = parse_torch_anchor(stdout)
    result["peak_rss_mb"] = rss
    return result


def json_program(command, env=None):
    """A program that prints one JSON object: that object, with the child's peak RSS added."""
    stdout, rss = run_child(command, env=env)
    result = parse_json(command, stdout)
    result["peak_rss_mb"] = rss
    return result


def microbench(binary, filter_regex, env, min_time, repetitions):
    """Runs scratchnet_microbench's benchmarks matching `filter_regex`; returns {run name: GFLOPS}
    (the median over `repetitions`, interleaved at random across benchmarks when more than one)
    and the context Google Benchmark printed."""
    command = [binary, f"--benchmark_filter={filter_regex}", "--benchmark_format=json",
               f"--benchmark_min_time={min_time}", f"--benchmark_repetitions={repetitions}"]
    if repetitions > 1:
        command += ["--benchmark_enable_random_interleaving=true", "--benchmark_report_aggregates_only=true"]
    stdout, _ = run_child(command, env=env, timeout=900)
    report = parse_json(command, stdout)
    figures = {}
    for entry in report.get("benchmarks", []):
        if repetitions > 1 and entry.get("aggregate_name") != "median":
            continue
        rate = entry.get("GFLOPS", entry.get("GHz"))
        if rate is None:
            continue
        figures[entry["run_name"]] = rate
    if not figures:
        raise SuiteError(f"{' '.join(command)}: no GFLOPS in its output:\n{stdout[:2000]}")
    return figures, report.get("context", {})


_PEAK_NAME = re.compile(r"^peak/([^/]+)/real_time/threads:(\d+)$")


def fma_peak(binary, env, quick):
    """The measured fp32 peak: {"isa": …, 1: GFLOP/s on one core, 2: on two, "clock": the core's
    GHz, "lanes": fp32 lanes of a vector, "matmul_kernel": the microkernel scratchnet's products
    run}."""
    figures, context = microbench(binary, "^(peak/|clock)", env, min_time=0.001 if quick else 0.1,
                                  repetitions=1 if quick else 3)
    peak = {"matmul_kernel": context.get("scratchnet_matmul_kernel", "?"),
            "lanes": int(context.get("fma_lanes", 1)), "clock": figures.get("clock/real_time")}
    for name, gflops in figures.items():
        match = _PEAK_NAME.match(name)
        if match:
            peak["isa"] = match.group(1)
            peak[int(match.group(2))] = gflops
    if 1 not in peak or 2 not in peak:
        raise SuiteError(f"no 1- and 2-thread peak among {sorted(figures)}")
    return peak


_PRODUCT_NAME = re.compile(r"^(forward|dweight|dinput)/(\d+)>(\d+)/B:(\d+)/(scratchnet|openblas)/threads:(\d+)"
                           r"/real_time$")


def matmul_table(binary, env, quick):
    """GFLOPS of every matrix product of the micro-benchmarks:
    {(product, inputs, outputs, batch): {(contender, threads): GFLOPS}}."""
    figures, _ = microbench(binary, "^(forward|dweight|dinput)/", env,
                            min_time=0.0001 if quick else 0.05, repetitions=1 if quick else 5)
    table = {}
    for name, gflops in figures.items():
        match = _PRODUCT_NAME.match(name)
        if not match:
            raise SuiteError(f"unrecognised micro-benchmark name {name!r}")
        product, inputs, outputs, batch, contender, threads = match.groups()
        key = (product, int(inputs), int(outputs), int(batch))
        table.setdefault(key, {})[(contender, int(threads))] = gflops
    return table


def write_tiny_idx(folder, rows=512, seed=0):
    """A small MNIST-shaped IDX pair (rows random 28x28 images, labels 0..9) for --quick, so the
    training runs take a fraction of a second; returns the --data/--labels flags."""
    import random
    generator = random.Random(seed)
    images = os.path.join(folder, "tiny-images.idx")
    labels = os.path.join(folder, "tiny-labels.idx")
    with open(images, "wb") as file:
        file.write(bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (rows, 28, 28)))
        file.write(bytes(generator.randrange(256) for _ in range(rows * 784)))
    with open(labels, "wb") as file:
        file.write(bytes([0, 0, 8, 1]) + rows.to_bytes(4, "big"))
        file.write(bytes(row % 10 for row in range(rows)))
    return ["--data", images, "--labels", labels]


def machine_description():
    """The CPU model and core count, as /proc/cpuinfo and the OS give them."""
    model = "?"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"



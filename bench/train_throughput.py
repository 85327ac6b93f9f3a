#!/usr/bin/python3
"""Training throughput on the Fashion-MNIST MLP (784-256-128-10, ReLU, softmax cross-entropy),
scratchnet against PyTorch, measured side by side in one invocation.

Usage: /usr/bin/python3 bench/train_throughput.py [--scratchnet build/scratchnet] [--repeats 3]
                                                  [--threads 1]

For each of SGD-momentum (lr 0.1, momentum 0.9) and Adam (lr 1e-3) at batch 64 and 256, it runs
  * scratchnet: one training epoch over the 60000 rows (`scratchnet train … --epochs 1
    --val-split 0 --json`), taking the epoch's samples/s;
  * PyTorch: the anchor protocol, ../shared/anchors/torch_mlp_fmnist.py (data in memory, 30
    warm-up batches, one timed epoch), with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for its
    command only, as that protocol asks;
alternating the two, `--repeats` times, and prints the medians and their ratio. Debian's torch
is only fast with OpenBLAS installed (libopenblas0-pthread); without it the reference BLAS runs.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ANCHOR = os.path.join(HERE, "..", "..", "shared", "anchors", "torch_mlp_fmnist.py")
CONFIGS = [("sgd", 64), ("sgd", 256), ("adam", 64), ("adam", 256)]
OPTIMIZER_FLAGS = {"sgd": ["--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.9"],
                   "adam": ["--optimizer", "adam", "--lr", "1e-3"]}


def scratchnet_rate(binary, optimizer, batch, threads):
    command = [binary, "train", "--data", "fashion-mnist", "--layers", "256:relu,128:relu,10",
               "--epochs", "1", "--val-split", "0", "--batch", str(batch), "--threads", str(threads),
               "--json", *OPTIMIZER_FLAGS[optimizer]]
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    return report["epochs"][0]["samples_per_second"]


def torch_rates(threads):
    environment = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    output = subprocess.run(["/usr/bin/python3", ANCHOR, "--threads", str(threads), "--no-acc"],
                            capture_output=True, text=True, check=True, env=environment).stdout
    rates = {}
    for optimizer, batch, rate in re.findall(r"train (\w+)\s+bs=\s*(\d+): epoch [\d.]+s -> ([\d,]+) samples/s", output):
        rates[(optimizer, int(batch))] = float(rate.replace(",", ""))
    blas = re.search(r"openblas (\S+)", output)
    return rates, blas.group(1) if blas else "?"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scratchnet", default=os.path.join(HERE, "..", "build", "scratchnet"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    ours = {config: [] for config in CONFIGS}
    theirs = {config: [] for config in CONFIGS}
    blas = "?"
    for _ in range(args.repeats):
        for config in CONFIGS:
            ours[config].append(scratchnet_rate(args.scratchnet, *config, args.threads))
        rates, blas = torch_rates(args.threads)
        for config in CONFIGS:
            theirs[config].append(rates[config])

    print(f"Fashion-MNIST MLP training, samples/s, median of {args.repeats}, {args.threads} thread(s); "
          f"torch BLAS: {blas}")
    print(f"{'optimizer':10s} {'batch':>5s} {'scratchnet':>12s} {'PyTorch':>12s} {'ratio':>7s}")
    for config in CONFIGS:
        mine, reference = statistics.median(ours[config]), statistics.median(theirs[config])
        print(f"{config[0]:10s} {config[1]:5d} {mine:12,.0f} {reference:12,.0f} {mine / reference:7.2f}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""PyTorch CPU LeNet-5 on Fashion-MNIST, in the form of the MLP anchor (torch_mlp_fmnist.py under
the benchmark protocol): the reference scratchnet's convolutional network is measured against.

Usage: /usr/bin/python3 bench/torch_lenet_fmnist.py [--threads 2] [--blas-threads N]
           [--acc-epochs 10] [--seeds 1] [--no-acc] [--no-speed] [--quick] [--batchnorm]
           [--acc-lr 3e-3] [--acc-batch 64] [--acc-schedule cosine|constant] [--mlp]
  --threads 1 also sets OPENBLAS_NUM_THREADS=1 / OMP_NUM_THREADS=1 before torch is imported, as
  the anchor does; --blas-threads N forces OPENBLAS_NUM_THREADS=N.
  --quick: tiny work (512 training rows, 1000 test rows, 2 warm-up batches, one timed inference
  pass, 20 latency samples), to test bench/suite.py's parsing; its figures are not measurements.

The network, as scratchnet's spec conv:6:5:padding=2:relu,maxpool:2,conv:16:5:relu,maxpool:2,
flatten,120:relu,84:relu,10 builds it: Conv2d(1, 6, 5, padding=2), ReLU, MaxPool2d(2),
Conv2d(6, 16, 5), ReLU, MaxPool2d(2), Flatten, Linear(400, 120), ReLU, Linear(120, 84), ReLU,
Linear(84, 10); softmax cross-entropy.
Protocol (the anchor's):
  * data pre-loaded as float32 tensors [N, 1, 28, 28] (pixels/255), labels int64; no DataLoader.
  * each epoch: torch.randperm shuffle + gather outside the timed region, then contiguous slices;
    last partial batch included.
  * training throughput: fresh model (seed 0), 30 warm-up batches (untimed), one full timed epoch
    (60000 samples) -> samples/s, and the median over 16-batch chunks; SGD (lr 0.1, momentum 0.9)
    and Adam (lr 1e-3) at batch 64 and 256.
  * accuracy: scratchnet train's defaults (Adam at 3e-3 decayed along a cosine to 0 by the last
    step, batch 64, 10 epochs, 10% of the training rows held out at random for validation), test
    accuracy after the last epoch, one run per seed 0 .. seeds-1 (the seed sets the split, the
    weights and the shuffles); --acc-lr, --acc-batch and --acc-schedule change the recipe, --mlp
    the network (scratchnet's 256:relu,128:relu,10).
  * inference: eval + no_grad; batch 1000 over the 10k test set (median of 7 passes) and batch-1
    latency (median over 2000 single samples).
Output: the anchor's line formats (its header, "train ...", "inference ..." and a last "FINAL
torch_lenet ..." line with every figure and the peak RSS), which bench/suite_runs.py parses.
"""
import argparse
import gzip
import math
import os
import resource
import time

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--acc-epochs", type=int, default=10)
ap.add_argument("--seeds", type=int, default=1)
ap.add_argument("--acc-lr", type=float, default=3e-3)
ap.add_argument("--acc-batch", type=int, default=64)
ap.add_argument("--acc-schedule", choices=("constant", "cosine"), default="cosine")
ap.add_argument("--no-acc", action="store_true")
ap.add_argument("--no-speed", action="store_true")
ap.add_argument("--blas-threads", type=int, default=0)
ap.add_argument("--quick", action="store_true")
ap.add_argument("--batchnorm", action="store_true",
                help="a BatchNorm2d after each convolution (scratchnet's conv:6:5:padding=2,batchnorm,"
                     "relu,maxpool:2,conv:16:5,batchnorm,relu,maxpool:2,flatten,120:relu,84:relu,10)")
ap.add_argument("--mlp", action="store_true",
                help="the accuracy run's network is the MLP 256:relu,128:relu,10 instead (with --no-speed)")
args = ap.parse_args()
if args.threads == 1:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
if args.blas_threads:
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)

import ctypes  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

FMNIST_DIR = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")


def load(split):
    """Debian's dataset-fashion-mnist IDX files: (float32 [N, 784] in [0, 1], int64 [N])."""
    def read_idx(name):
        with gzip.open(os.path.join(FMNIST_DIR, name), "rb") as f:
            data = f.read()
        dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
        return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)
    x = read_idx(f"{split}-images-idx3-ubyte.gz")
    y = read_idx(f"{split}-labels-idx1-ubyte.gz")
    return x.reshape(x.shape[0], -1).astype(np.float32) / 255.0, y.astype(np.int64)


torch.set_num_threads(args.threads)
try:
    openblas = ctypes.CDLL("libopenblas.so.0")
    openblas.openblas_get_corename.restype = ctypes.c_char_p
    openblas_info = (f"openblas core={openblas.openblas_get_corename().decode()} "
                     f"threads={openblas.openblas_get_num_threads()}")
except OSError:
    openblas_info = "openblas ?"
BLAS_THREADS = os.environ.get("OPENBLAS_NUM_THREADS", "default")
# The anchor's header, which the suite reads the versions from.
print(f"torch {torch.__version__} threads={torch.get_num_threads()} blas_threads={BLAS_THREADS} "
      f"{openblas_info}", flush=True)

xtr, ytr = load("train")
xte, yte = load("t10k")
Xtr, Ytr = torch.from_numpy(xtr).reshape(-1, 1, 28, 28), torch.from_numpy(ytr)
Xte, Yte = torch.from_numpy(xte).reshape(-1, 1, 28, 28), torch.from_numpy(yte)
if args.quick:
    Xtr, Ytr, Xte, Yte = Xtr[:512], Ytr[:512], Xte[:1000], Yte[:1000]
N, TEST_ROWS = Xtr.shape[0], Xte.shape[0]
WARMUP_BATCHES = 2 if args.quick else 30
PASSES = 1 if args.quick else 7
LATENCY_WARMUP, LATENCY_SAMPLES = (5, 20) if args.quick else (200, 2000)


def make_model(seed=0):
    torch.manual_seed(seed)
    if args.mlp:
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128),
                             nn.ReLU(), nn.Linear(128, 10))
    norm = (lambda channels: [nn.BatchNorm2d(channels)]) if args.batchnorm else (lambda channels: [])
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), *norm(6), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), *norm(16), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))


def make_opt(name, model):
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return torch.optim.Adam(model.parameters(), lr=1e-3)


def step(model, opt, xb, yb):
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    opt.step()
    return loss


def run_epoch(model, opt, bs, gen, X, Y, chunks=None, rate_of_step=None, first_step=0):
    """One shuffled epoch; rate_of_step(t), if given, sets the learning rate of step t (counted
    from first_step) before it, as scratchnet's schedules do."""
    perm = torch.randperm(X.shape[0], generator=gen)
    Xs, Ys = X[perm], Y[perm]
    model.train()
    stamps = []
    t0 = time.perf_counter()
    for t, i in enumerate(range(0, X.shape[0], bs), start=first_step):
        if rate_of_step is not None:
            for group in opt.param_groups:
                group["lr"] = rate_of_step(t)
        step(model, opt, Xs[i:i + bs], Ys[i:i + bs])
        stamps.append(time.perf_counter())
    dt = time.perf_counter() - t0
    if chunks is not None:
        st = [t0] + stamps
        for c in range(16, len(st), 16):
            chunks.append(16 * bs / (st[c] - st[c - 16]))
    return dt


@torch.no_grad()
def accuracy(model):
    model.eval()
    pred = torch.cat([model(Xte[i:i + 1000]).argmax(1) for i in range(0, Xte.shape[0], 1000)])
    return (pred == Yte).float().mean().item()


results = {}
if not args.no_speed:
    for optname in ("sgd", "adam"):
        for bs in (64, 256):
            model = make_model()
            opt = make_opt(optname, model)
            gen = torch.Generator().manual_seed(1)
            perm = torch.randperm(N, generator=gen)
            for i in range(WARMUP_BATCHES):
                step(model, opt, Xtr[perm[i * bs:(i + 1) * bs]], Ytr[perm[i * bs:(i + 1) * bs]])
            ch = []
            dt = run_epoch(model, opt, bs, gen, Xtr, Ytr, ch)
            results[f"train_{optname}_bs{bs}"] = N / dt
            # An epoch shorter than one 16-batch chunk (--quick) has no chunk: its rate stands in.
            chunk_median = np.median(ch) if ch else N / dt
            print(f"train {optname:4s} bs={bs:3d}: epoch {dt:.3f}s -> {N / dt:,.0f} samples/s; "
                  f"chunk median {chunk_median:,.0f} samples/s", flush=True)

    model = make_model()
    model.eval()
    with torch.no_grad():
        for _ in range(2):
            for i in range(0, TEST_ROWS, 1000):
                model(Xte[i:i + 1000])
        ts = []
        for _ in range(PASSES):
            t0 = time.perf_counter()
            for i in range(0, TEST_ROWS, 1000):
                model(Xte[i:i + 1000])
            ts.append(time.perf_counter() - t0)
        lat = []
        for i in range(LATENCY_WARMUP):
            model(Xte[i % TEST_ROWS:i % TEST_ROWS + 1])
        for i in range(LATENCY_SAMPLES):
            xb = Xte[i % TEST_ROWS:i % TEST_ROWS + 1]
            t0 = time.perf_counter()
            model(xb)
            lat.append(time.perf_counter() - t0)
    results["infer_bs1000"] = TEST_ROWS / float(np.median(ts))
    results["infer_bs1_med"] = float(np.median(np.array(lat) * 1e6))
    print(f"inference bs1000: {results['infer_bs1000']:,.0f} samples/s; bs1 latency median "
          f"{results['infer_bs1_med']:.1f} us", flush=True)

if not args.no_acc:
    accuracies = []
    for seed in range(args.seeds):
        gen = torch.Generator().manual_seed(seed)
        keep = torch.randperm(N, generator=gen)[: N - N // 10]  # 10% held out, as --val-split 0.1
        model = make_model(seed)
        opt = torch.optim.Adam(model.parameters(), lr=args.acc_lr)
        steps_per_epoch = math.ceil(keep.shape[0] / args.acc_batch)
        total_steps = args.acc_epochs * steps_per_epoch
        # scratchnet's cosine: torch CosineAnnealingLR's closed form over every step, down to 0.
        cosine = lambda t: args.acc_lr * (1 + math.cos(math.pi * t / total_steps)) / 2  # noqa: E731
        rate_of_step = cosine if args.acc_schedule == "cosine" else None
        for epoch in range(args.acc_epochs):
            run_epoch(model, opt, args.acc_batch, gen, Xtr[keep], Ytr[keep],
                      rate_of_step=rate_of_step, first_step=epoch * steps_per_epoch)
        accuracies.append(accuracy(model))
        print(f"accuracy seed {seed}: {accuracies[-1]:.4f} after {args.acc_epochs} epochs", flush=True)
    print(f"accuracy mean of {args.seeds} seeds: {np.mean(accuracies):.4f}", flush=True)

rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# One line with every figure, in the anchor's FINAL form.
figures = [f"{k}={v:,.0f}/s" for k, v in results.items() if k.startswith("train_")]
if "infer_bs1000" in results:
    figures += [f"infer_bs1000={results['infer_bs1000']:,.0f}/s",
                f"infer_bs1_med={results['infer_bs1_med']:.1f}us"]
if not args.no_acc:
    figures.append(f"acc={np.mean(accuracies):.4f}")
print(f"FINAL torch_lenet threads={args.threads} blas_threads={BLAS_THREADS}: " + " ".join(figures)
      + f" peakRSS={rss_mb:.0f}MB", flush=True)

#!/usr/bin/python3
"""PyTorch's time for LeNet-5's max pools, to set beside scratchnet's (bench/micro_pooling.cpp).

Usage: /usr/bin/python3 bench/pooling_torch.py [--threads 1 2] [--repeats 200]

MaxPool2d(2) in float32 on NCHW [batch, 6, 28, 28] and [batch, 16, 10, 10] at batch 64 and 256,
the shapes LeNet-5 pools. Forward is the module's call on an input that requires a gradient, as
in training; backward is torch.autograd.grad of the output for a fixed random doutput, timed
with the forward it needs, whose time is then subtracted. Prints the fastest of `repeats` runs
in microseconds, one line per case: on a shared machine the run least disturbed by others
(compare it with the fastest of the C++ side's repetitions).
"""
import argparse
import time

import torch


def fastest_us(function, repeats):
    """The fastest of `repeats` runs, in microseconds: on a shared machine, the run least
    disturbed by other processes."""
    for _ in range(10):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    torch.manual_seed(0)
    pool = torch.nn.MaxPool2d(2)
    print(f"torch {torch.__version__}")
    for threads in args.threads:
        torch.set_num_threads(threads)
        for batch in (64, 256):
            for channels, side in ((6, 28), (16, 10)):
                x = torch.randn(batch, channels, side, side, requires_grad=True)
                with torch.no_grad():
                    y = pool(x)
                doutput = torch.randn_like(y)
                forward = fastest_us(lambda: pool(x), args.repeats)

                def backward():
                    y = pool(x)
                    torch.autograd.grad(y, x, doutput)

                # backward() repeats the forward it needs; its own part is the difference.
                both = fastest_us(backward, args.repeats)
                print(f"threads {threads} batch {batch:3d} [{channels}, {side}, {side}]  "
                      f"forward {forward:8.1f} us  backward {both - forward:8.1f} us  "
                      f"(forward+backward {both:8.1f} us)")


if __name__ == "__main__":
    main()

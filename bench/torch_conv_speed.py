#!/usr/bin/python3
"""Times PyTorch's float32 Conv2d on LeNet-5's two convolutions, forward and backward, the same
shapes bench/micro_conv.cpp measures for scratchnet:
  conv1  Conv2d(1, 6, 5, padding=2) on [B, 1, 28, 28]
  conv2  Conv2d(6, 16, 5)           on [B, 6, 14, 14]
at batch 64 and 256, on 1 and 2 threads. "forward" is one forward; "backward" one backward of
L = Σ output ⊙ R that computes the weight, bias and (for conv2, which LeNet needs it of) input
gradients; conv1's input needs no gradient, as in training.

Usage: /usr/bin/python3 bench/torch_conv_speed.py [--repeats N]
Prints one line per case: microseconds per pass, the fastest of N timed loops of passes (the
fastest, because other work on a shared machine only ever adds time).
"""
import argparse
import time

import torch
from torch import nn

SHAPES = [("conv1", 1, 6, 5, 2, 28), ("conv2", 6, 16, 5, 0, 14)]


def time_loop(function, passes):
    start = time.perf_counter()
    for _ in range(passes):
        function()
    return (time.perf_counter() - start) / passes * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.backends.mkldnn.is_available()=}")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for name, cin, cout, kernel, padding, size in SHAPES:
            for batch in (64, 256):
                conv = nn.Conv2d(cin, cout, kernel, padding=padding)
                x = torch.randn(batch, cin, size, size, requires_grad=(name == "conv2"))
                with torch.no_grad():
                    r = torch.randn_like(conv(x))

                def forward():
                    with torch.no_grad():
                        conv(x)

                y = conv(x)

                def backward():
                    conv.zero_grad()
                    if x.grad is not None:
                        x.grad = None
                    torch.autograd.backward(y, r, retain_graph=True)

                passes = max(1, int(20000 // (batch * cin * size)))
                for function in (forward, backward):
                    function()  # warm-up
                for label, function in (("forward", forward), ("backward", backward)):
                    runs = [time_loop(function, passes) for _ in range(args.repeats)]
                    print(f"{name} B={batch} threads={threads} {label}: "
                          f"{min(runs):.0f} us")


if __name__ == "__main__":
    main()

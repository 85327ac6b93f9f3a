#!/usr/bin/python3
"""The seed notebook's Stage 1 loop (shared/seed/stage1-xor-numpy.txt), timed per iteration.

Usage: /usr/bin/python3 bench/xor_numpy_seed.py [--iterations 1500] [--repeats 21]

The NeuralNetwork class, sigmoid and sigmoid_derivative below are the seed's, character for
character apart from layout; so are X and y (integer arrays, as the notebook builds them) and
the loop body `nn.feedforward(); nn.backprop()`. Each repeat seeds numpy with 0, builds a fresh
network outside the timing, then times --iterations iterations of the loop as one block. Prints
one JSON object with the median time per iteration over the repeats, and the last output (so a
reader can check it against the notebook's, and against `scratchnet xor`).
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np


def sigmoid(x):
    return 1.0/(1+ np.exp(-x))


def sigmoid_derivative(x):
    return x * (1.0 - x)


class NeuralNetwork:
    def __init__(self, x, y):
        self.input      = x
        self.weights1   = np.random.rand(self.input.shape[1],4)
        self.weights2   = np.random.rand(4,1)
        self.y          = y
        self.output     = np.zeros(self.y.shape)

    def feedforward(self):
        self.layer1 = sigmoid(np.dot(self.input, self.weights1))
        self.output = sigmoid(np.dot(self.layer1, self.weights2))

    def backprop(self):
        # application of the chain rule to find derivative of the loss function with respect to weights2 and weights1
        d_weights2 = np.dot(self.layer1.T, (2*(self.y - self.output) * sigmoid_derivative(self.output)))
        d_weights1 = np.dot(self.input.T,  (np.dot(2*(self.y - self.output) * sigmoid_derivative(self.output), self.weights2.T) * sigmoid_derivative(self.layer1)))

        # update the weights with the derivative (slope) of the loss function
        self.weights1 += d_weights1
        self.weights2 += d_weights2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=1500, help="iterations per timed repeat")
    parser.add_argument("--repeats", type=int, default=21, help="timed repeats")
    args = parser.parse_args()

    X = np.array([[0,0],
                  [0,1],
                  [1,0],
                  [1,1]])
    y = np.array([[0],[1],[1],[0]])
    seconds = []
    for _ in range(args.repeats):
        np.random.seed(0)
        nn = NeuralNetwork(X,y)
        start = time.perf_counter()
        for i in range(args.iterations):
            nn.feedforward()
            nn.backprop()
        seconds.append(time.perf_counter() - start)
    per_iteration = [s / args.iterations * 1e9 for s in seconds]
    print(json.dumps({"program": "xor_numpy_seed", "numpy": np.__version__,
                      "iterations": args.iterations, "repeats": args.repeats,
                      "ns_per_iteration": statistics.median(per_iteration),
                      "ns_per_iteration_all": per_iteration,
                      "output": nn.output.ravel().tolist()}))


if __name__ == "__main__":
    sys.exit(main())

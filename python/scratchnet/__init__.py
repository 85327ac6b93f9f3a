"""scratchnet: a neural-network library written from scratch in C++, over numpy arrays.

The network, its training and its files are the C++ library's; this package calls it and
hands numpy arrays in and out.

    >>> import scratchnet
    >>> run = scratchnet.xor(seed=0)
    >>> run.output.round(3).ravel()
    array([0.053, 0.964, 0.961, 0.026])

Names:
    xor      Stage 1: the seed notebook's 2-4-1 sigmoid network trained on XOR, as numpy runs it
    XorRun   what xor returns: initial and final weights, the last output and its loss
"""
from dataclasses import dataclass

import numpy as np

from . import _core

__version__ = _core.__version__
__all__ = ["XorRun", "xor", "__version__"]


@dataclass(frozen=True)
class XorRun:
    """One run of the seed notebook's network on XOR.

    Weights are in the notebook's orientation, [inputs, outputs], as numpy holds them:
    weights1 is [2, hidden], weights2 is [hidden, 1]. output is [4, 1], the network's answer
    for the rows 00, 01, 10, 11 in the last feed-forward pass; loss is its sum of squared
    errors against 0, 1, 1, 0.
    """

    initial_weights1: np.ndarray
    initial_weights2: np.ndarray
    weights1: np.ndarray
    weights2: np.ndarray
    output: np.ndarray
    loss: float


def xor(seed: int = 0, iterations: int = 1500, hidden: int = 4, lr: float = 1.0) -> XorRun:
    """Trains the seed notebook's network on XOR, as its numpy code does, and returns the run.

    The weights are drawn as np.random.rand draws them after np.random.seed(seed); each of the
    `iterations` steps is one feed-forward pass and one backpropagation over the 4 rows, full
    batch, on the sum of squared errors, moving the weights by lr times the gradient (the
    notebook's own `+=` for lr=1). The numbers equal the notebook's to 1e-12 or better.

    Raises ValueError outside the command line's ranges (scratchnet xor --help): seed
    0..2**32-1, iterations 1..10**9, hidden 1..10**6, lr finite and >= 0.
    """
    return XorRun(**_core.xor(int(seed), int(iterations), int(hidden), float(lr)))

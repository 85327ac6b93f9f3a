#!/usr/bin/env python3
"""Reference numbers of SampleRandom (include/scratchnet/sample_random.hpp), computed here from
its definition with Python's integers: SplitMix64's finaliser chained over seed, step, row and
stream, then the row's SplitMix64 sequence, top 53 bits over 2^53.

Writes tests/fixtures/sample_random.json: a list of cases {seed, step, row, stream, element,
value}, the value as a hexadecimal float string (exact)."""
import json
import sys
from pathlib import Path

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix(z):
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def uniform(seed, step, row, stream, element):
    key = mix(seed + GAMMA)
    key = mix(key ^ (step & MASK))
    key = mix(key ^ row)
    key = mix(key ^ stream)
    bits = mix(key + GAMMA * (element + 1))
    return (bits >> 11) / float(1 << 53)


CASES = [(0, 0, 0, 0, 0), (0, 0, 0, 0, 1), (0, 0, 1, 0, 0), (0, 1, 0, 0, 0), (0, 0, 0, 1, 0),
         (1, 0, 0, 0, 0), (42, 1234, 63, 5, 783), (4294967295, 10**9, 999999, 2, 255),
         (7, 3, 17, 4, 0), (7, 3, 17, 4, 1)]


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures")
    cases = [{"seed": seed, "step": step, "row": row, "stream": stream, "element": element,
              "value": uniform(seed, step, row, stream, element).hex()}
             for seed, step, row, stream, element in CASES]
    (folder / "sample_random.json").write_text(json.dumps(cases, indent=1) + "\n")


if __name__ == "__main__":
    main()

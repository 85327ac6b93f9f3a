#!/usr/bin/python3
"""Peak memory of reading a CSV file (issue 12: "reading a CSV needs at most about twice the
memory of its parsed numbers plus one line").

Usage: /usr/bin/python3 bench/csv_memory.py [--cli build/cli/scratchnet] [--rows 2000000]
                                            [--features 10] [--folder /tmp]

Writes two files and runs `scratchnet train` on each under /usr/bin/time -v, reporting the
process's maximum resident set size:
  * a dense table of ROWS x FEATURES numbers and a text label, whose very last cell is not a
    number: read_csv reads every row into its matrix and then stops with a one-line error, so
    the peak is that of reading the file alone (no training). Compared with the parsed numbers
    (ROWS x FEATURES x 8 bytes) and the labels (ROWS x 32 bytes of std::string);
  * the same rows with the bad cell mended, trained for one epoch (train's whole data path);
  * a 2 GB sparse file (truncate: one line of NUL bytes), which scratchnet refuses; its peak is
    compared with the one line it has to hold.
The files are removed at the end.
"""
import argparse
import os
import re
import subprocess
import sys
import time


def peak_rss_mb(command):
    """Runs `command` under /usr/bin/time -v; its exit status, seconds, peak RSS in MB, stderr."""
    start = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True,
                          errors="replace")
    seconds = time.monotonic() - start
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if not match:
        sys.exit("no peak memory in /usr/bin/time's output:\n" + done.stderr)
    first_line = done.stderr.splitlines()[0] if done.stderr else ""
    return done.returncode, seconds, int(match.group(1)) / 1024, first_line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default="build/cli/scratchnet")
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--folder", default="/tmp")
    parser.add_argument("--sparse-gb", type=float, default=2.0)
    args = parser.parse_args()

    dense = os.path.join(args.folder, f"csv_memory_dense_{os.getpid()}.csv")
    sparse = os.path.join(args.folder, f"csv_memory_sparse_{os.getpid()}.csv")
    try:
        with open(dense, "w") as out:
            out.write(",".join(f"f{c}" for c in range(args.features)) + ",label\n")
            row = ",".join(f"{0.123456789 * (c + 1):.9f}" for c in range(args.features))
            for r in range(args.rows - 1):
                out.write(f"{row},{'abc'[r % 3]}\n")
            out.write(",".join(["1"] * (args.features - 1) + ["x", "a"]) + "\n")
        size_mb = os.path.getsize(dense) / 2**20
        numbers_mb = args.rows * args.features * 8 / 2**20
        labels_mb = args.rows * 32 / 2**20
        status, seconds, peak, message = peak_rss_mb(
            [args.cli, "train", "--data", dense, "--layers", "2", "--threads", "1"])
        print(f"dense: {args.rows} rows x {args.features} features, file {size_mb:.0f} MB; "
              f"numbers {numbers_mb:.0f} MB + labels {labels_mb:.0f} MB; peak RSS {peak:.0f} MB "
              f"({peak / (numbers_mb + labels_mb):.2f}x the parsed data), {seconds:.1f} s, "
              f"exit {status}: {message}")

        # The same rows made valid, trained for one epoch: the whole of train's data path
        # (classes, targets, standardisation fitted in place, the f32 data set).
        with open(dense, "r+") as out:
            out.seek(os.path.getsize(dense) - 2 * args.features - 2)
            out.write(",".join(["1"] * args.features) + ",a\n")
        status, seconds, peak, message = peak_rss_mb(
            [args.cli, "train", "--data", dense, "--layers", "3", "--threads", "1", "--epochs",
             "1", "--quiet"])
        print(f"train 1 epoch on the same rows: peak RSS {peak:.0f} MB "
              f"({peak / (numbers_mb + labels_mb):.2f}x the parsed data), {seconds:.1f} s, "
              f"exit {status}")

        with open(sparse, "wb") as out:
            out.truncate(int(args.sparse_gb * 2**30))
        line_mb = os.path.getsize(sparse) / 2**20
        status, seconds, peak, message = peak_rss_mb(
            [args.cli, "train", "--data", sparse, "--layers", "2", "--threads", "1"])
        print(f"sparse: one line of {line_mb:.0f} MB; peak RSS {peak:.0f} MB "
              f"({peak / line_mb:.2f}x the line), {seconds:.1f} s, exit {status}: {message[:100]}")
    finally:
        for path in (dense, sparse):
            if os.path.exists(path):
                os.remove(path)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Writes safetensors files made from a torch.nn.Sequential's state_dict, and torch's output.

Usage: /usr/bin/python3 tools/make_safetensors_fixtures.py tests/fixtures
       (needs Debian's python3-torch and python3-numpy)

Debian ships torch but not the `safetensors` package, so this script writes the bytes itself,
exactly as safetensors.torch.save_file (safetensors 0.3/0.4) lays them out, following the
format's specification (https://github.com/huggingface/safetensors):
  - 8 bytes: N, the header's length, little-endian unsigned 64-bit;
  - N bytes: the header, compact JSON (no spaces, as serde_json writes it) with "__metadata__"
    first when there is any, then one entry per tensor with its keys in the order dtype, shape,
    data_offsets; padded with spaces (0x20) to a multiple of 8 bytes;
  - the data buffer: the tensors back to back, sorted as save_file sorts them (by dtype
    alignment, larger first, then by name), each row-major and little-endian.
tests/test_safetensors.cpp checks that scratchnet's encoder writes these very bytes, and
tests/test_model_file.cpp that load_model reads them into the network torch ran.

Files written (seeded, so the same on every run of the same torch):
  torch_sequential.safetensors       nn.Sequential(Linear(3, 4), ReLU(), Linear(4, 2)) in float32,
                                     as save_file(model.state_dict(), path) writes it: no
                                     __metadata__, so scratchnet needs the spec "4:relu,2"
  torch_sequential_f64.safetensors   the same network in float64, with __metadata__
                                     {"format": "pt"} as transformers' save_pretrained adds
  torch_sequential.json              {"spec", "input" [5, 3], "output" (the float32 network's
                                     output, computed in float32), "output_f64" (the float64
                                     network's), "parameters" (state_dict, nested lists)}
Nothing here imports project code.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

# safetensors' Dtype enum in declaration order: save_file sorts tensors by it, descending
# (largest alignment first), then by name.
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32",
               "U32", "F32", "F64", "I64", "U64"]
DTYPES = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8")}


def safetensors_bytes(tensors, metadata=None):
    """The bytes save_file(tensors, path, metadata) writes."""
    entries = []
    for name, tensor in tensors.items():
        dtype, numpy_type = DTYPES[tensor.dtype]
        data = np.ascontiguousarray(tensor.detach().numpy(), dtype=numpy_type).tobytes()
        entries.append((name, dtype, list(tensor.shape), data))
    entries.sort(key=lambda e: (-DTYPE_ORDER.index(e[1]), e[0]))

    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    for name, dtype, shape, data in entries:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(e[3] for e in entries)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).eval()
    x = torch.randn(5, 3)
    with torch.no_grad():
        output = model(x)
        model64 = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).double().eval()
        model64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
        output64 = model64(x.double())

    files = {
        "torch_sequential.safetensors": safetensors_bytes(model.state_dict()),
        "torch_sequential_f64.safetensors": safetensors_bytes(model64.state_dict(),
                                                              {"format": "pt"}),
    }
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        print(f"wrote {os.path.join(folder, name)}")

    path = os.path.join(folder, "torch_sequential.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/make_safetensors_fixtures.py", "torch": torch.__version__,
                   "spec": "4:relu,2",
                   "parameters": {k: v.tolist() for k, v in model.state_dict().items()},
                   "input": x.tolist(), "output": output.tolist(),
                   "output_f64": output64.tolist()}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

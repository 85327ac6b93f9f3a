#!/usr/bin/python3
"""Writes the fuzzers' seed corpora: small valid inputs and near-valid ones (one field wrong).

Usage: /usr/bin/python3 fuzz/make_corpora.py fuzz/corpus [--scratchnet build/scratchnet]

Only the standard library is needed. With --scratchnet, model and checkpoint files that the
scratchnet binary writes (metadata and all) are added to the safetensors corpus. The output is
the same on every run, but for the epoch times that checkpoints record. Files the fuzzers found
(regression inputs) live in the same folders under names starting with "regression-"; this
script leaves them alone.

  safetensors/   the test fixtures written from PyTorch, one tensor of each dtype, scalars and
                 empty tensors, metadata, and files broken in each way the reader checks
  idx/           raw and gzip IDX files (labels, images), multi-member gzip, and broken ones
  csv/           one options byte (see fuzz_csv.cpp) then a CSV file: headers, quotes, CRLF,
                 byte order marks, text and numeric labels, and broken ones
  layer_spec/    specs from the README and tests, and malformed ones
  command_line/  arguments separated by NUL bytes: every subcommand with good and bad flags
  model_metadata/ one options byte (odd: a checkpoint's tensors) then KEY NUL VALUE NUL … (see
                 fuzz_model_metadata.cpp): the metadata of the network 3:relu,2 on 2 inputs, as
                 scratchnet writes it (with --scratchnet, also a real model's and checkpoint's),
                 and each key made hostile in turn
  checkpoint_options/  a checkpoint's "options" text: the defaults, and every setting changed
"""
import gzip
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# --- safetensors -------------------------------------------------------------------------------

DTYPE_SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2,
               "F16": 2, "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8}


def safetensors(tensors, metadata=None, header_text=None, pad=True):
    """tensors: [(name, dtype, shape, bytes)] laid out back to back in that order."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    data = b""
    for name, dtype, shape, payload in tensors:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    text = header_text if header_text is not None else json.dumps(header, separators=(",", ":"))
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if pad:
        raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + data


def f32(*values):
    return struct.pack("<%df" % len(values), *values)


def safetensors_corpus(out, scratchnet):
    folder = os.path.join(out, "safetensors")
    for name in ["torch_sequential.safetensors", "torch_sequential_f64.safetensors"]:
        shutil.copy(os.path.join(ROOT, "tests", "fixtures", name), os.path.join(folder, name))
    write(folder, "empty-header", safetensors([]))
    write(folder, "metadata-only", safetensors([], {"format": "pt"}))
    for dtype, size in DTYPE_SIZES.items():
        write(folder, "one-" + dtype, safetensors([("t", dtype, [2, 1], bytes(range(2 * size)))]))
    write(folder, "scalar", safetensors([("s", "F64", [], struct.pack("<d", 1.5))]))
    write(folder, "empty-tensors", safetensors([("a", "F32", [0, 3], b""), ("b", "F32", [2], f32(1, 2)),
                                               ("c", "I8", [4, 0], b"")]))
    write(folder, "unpadded", safetensors([("x", "F32", [1], f32(1))], pad=False))
    weights = [("0.weight", "F32", [2, 3], f32(*range(6))), ("0.bias", "F32", [2], f32(0.5, -0.5))]
    write(folder, "torch-like", safetensors(weights, {"format": "pt"}))
    # Each near-valid file breaks one rule.
    good = safetensors(weights)
    write(folder, "bad-header-length", struct.pack("<Q", 1 << 40) + good[8:])
    write(folder, "bad-truncated", good[:-3])
    write(folder, "bad-trailing", good + b"\0\0\0\0")
    write(folder, "bad-short", b"\x10\0\0")
    def broken(name, header):
        write(folder, "bad-" + name,
              safetensors([], header_text=header) + f32(*range(8)))
    broken("json", '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}')
    broken("not-object", '[1,2]')
    broken("utf8", b'{"\xff":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}')
    broken("duplicate", '{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},'
                        '"a":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}}')
    broken("dtype", '{"a":{"dtype":"F33","shape":[8],"data_offsets":[0,32]}}')
    broken("negative-shape", '{"a":{"dtype":"F32","shape":[-8],"data_offsets":[0,32]}}')
    broken("float-shape", '{"a":{"dtype":"F32","shape":[8.0],"data_offsets":[0,32]}}')
    broken("shape-size", '{"a":{"dtype":"F32","shape":[7],"data_offsets":[0,32]}}')
    broken("huge-shape", '{"a":{"dtype":"F32","shape":[4611686018427387904,4,0],'
                         '"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}}')
    broken("overlap", '{"a":{"dtype":"F32","shape":[5],"data_offsets":[0,20]},'
                      '"b":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}}')
    broken("gap", '{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},'
                  '"b":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}}')
    broken("extra-field", '{"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32],"x":1}}')
    broken("missing-field", '{"a":{"dtype":"F32","data_offsets":[0,32]}}')
    broken("metadata-number", '{"__metadata__":{"format":1},'
                              '"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}}')
    broken("offsets-reversed", '{"a":{"dtype":"F32","shape":[8],"data_offsets":[32,0]}}')
    if scratchnet:
        scratchnet_files(folder, scratchnet)


def scratchnet_files(folder, scratchnet):
    """A model file and a checkpoint as `scratchnet train` writes them, metadata and all."""
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data.csv")
        with open(data, "w") as f:
            f.write("a,b,c,label\n")
            for i in range(12):
                f.write("%d,%g,%d,%s\n" % (i, i / 3, i % 4, "yes" if i % 3 else "no"))
        numbers = os.path.join(work, "numbers.csv")
        with open(numbers, "w") as f:
            for i in range(12):
                f.write("%d,%g,%d\n" % (i, i / 3, i % 4))
        runs = [("model", ["--data", data, "--layers", "4:relu,2", "--loss", "ce"]),
                ("model-bce", ["--data", data, "--layers", "3:tanh,dropout:0.25,1", "--loss",
                               "bce", "--dtype", "f64"]),
                ("model-mse", ["--data", numbers, "--layers", "2:leaky_relu=0.2,1", "--loss",
                               "mse", "--label", "1", "--normalize", "none"])]
        for name, flags in runs:
            model = os.path.join(work, name + ".safetensors")
            checkpoints = os.path.join(work, name + "-checkpoints")
            subprocess.run([scratchnet, "train", "--epochs", "1", "--quiet",
                            "--threads", "1", "--out", model, "--checkpoint-dir", checkpoints]
                           + flags, check=True, stdout=subprocess.DEVNULL)
            shutil.copy(model, os.path.join(folder, "scratchnet-" + name))
            checkpoint = sorted(os.listdir(checkpoints))[-1]
            shutil.copy(os.path.join(checkpoints, checkpoint),
                        os.path.join(folder, "scratchnet-" + name + "-checkpoint"))


# --- IDX -----------------------------------------------------------------------------------------

def idx(dims, values, type_code=0x08):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + \
        bytes(values)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def idx_corpus(out):
    folder = os.path.join(out, "idx")
    labels = idx([6], [0, 1, 2, 9, 3, 1])
    images = idx([2, 3, 3], range(0, 255, 14))
    write(folder, "labels.idx", labels)
    write(folder, "images.idx", images)
    write(folder, "one.idx", idx([1], [7]))
    write(folder, "rank4.idx", idx([1, 2, 2, 2], range(8)))
    write(folder, "labels.idx.gz", gz(labels))
    write(folder, "images.idx.gz", gz(images))
    write(folder, "two-members.idx.gz", gz(images[:7]) + gz(images[7:]))
    write(folder, "bad-magic.idx", b"\x08\x03" + images[2:])
    write(folder, "bad-type.idx", idx([2], [1, 2], type_code=0x0D))
    write(folder, "bad-zero-dim.idx", idx([0, 3], []))
    write(folder, "bad-truncated.idx", images[:-1])
    write(folder, "bad-trailing.idx", labels + b"\0")
    write(folder, "bad-huge-claim.idx", idx([0xffffffff, 0xffffffff, 0xffffffff], []))
    write(folder, "bad-trailing.idx.gz", gz(labels) + b"junk")
    write(folder, "bad-truncated.idx.gz", gz(images)[:-5])
    write(folder, "bad-inflates-past.idx.gz", gz(labels + bytes(100)))
    write(folder, "bad-short.idx", b"\0\0")


# --- CSV -----------------------------------------------------------------------------------------

def csv_corpus(out):
    folder = os.path.join(out, "csv")
    detect, header, no_header = 0, 1, 2
    label_last, label_0, label_1, label_named = 0, 4, 8, 12
    numeric = 64
    files = {
        "iris": (detect, "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n"),
        "no-header": (detect, "1,2,0\n3,4,1\n5,6,0"),
        "forced-header": (header, "1,2,3\n4,5,6\n"),
        "forced-no-header": (no_header, "a,b\n1,x\n"),
        "crlf-bom": (detect, "\ufeffx,y\r\n1.5,a\r\n-2e3,b\r\n"),
        "quoted": (detect, 'name,"value, with comma",label\n"1","2","say ""hi"""\n3, 4 ,"multi\nline"\n'),
        "label-first": (label_0, "y,a,b\ncat,1,2\ndog,3,4\n"),
        "label-named": (label_named, "a,label,b\n1,yes,2\n3,no,4\n"),
        "label-index": (no_header | label_1, "1,2,3\n4,5,6\n"),
        "numeric-label": (numeric, "x,y\n1,0.5\n2,1e-3\n3,+4\n"),
        "predict-no-label": (16 | 32, "a,b,c\n1,2,3\n"),
        "predict-label": (16, "a,label\n1,x\n"),
        "empty-lines": (detect, "\n\na,b\n\n1,2\n\n3,4\n\n"),
        "tabs-spaces": (detect, "a ,\tb\n 1 ,\t2\t\n"),
        "extremes": (no_header, "1e308,1e-320,-0\n1e-400,0x1,x\n"),
        "bad-ragged": (detect, "a,b,c\n1,2,3\n4,5\n"),
        "bad-not-number": (detect, "a,b\nx,1\n"),
        "bad-empty-cell": (detect, "a,b,c\n1,,x\n"),
        "bad-nan": (detect, "a,b\nnan,1\ninf,2\n"),
        "bad-overflow": (detect, "a,b\n1e999,1\n"),
        "bad-unterminated": (detect, 'a,b\n1,"x\n'),
        "bad-after-quote": (detect, 'a,b\n1,"x"y\n'),
        "bad-header-only": (detect, "a,b,c\n"),
        "bad-no-label": (label_named, "a,b\n1,2\n"),
        "bad-one-column": (detect, "a\n1\n"),
        "bad-empty-label": (detect, "a,b\n1, \n"),
        "bad-numeric-label": (numeric, "a,b\n1,x\n"),
        "bad-empty": (detect, ""),
    }
    for name, (options, text) in files.items():
        write(folder, name, bytes([options]) + text.encode("utf-8"))


# --- layer specs ---------------------------------------------------------------------------------

def layer_spec_corpus(out):
    folder = os.path.join(out, "layer_spec")
    specs = ["256:relu,128:relu,dropout:0.2,10", "10", "16:tanh,8:gelu,3", "4:sigmoid,1",
             "3:softmax", "8:leaky_relu,4:leaky_relu=0.2,2", " 64 : relu , dropout : 0.5 , 2 ",
             "dropout:0,1", "100000000", "2:leaky_relu=-1e-300", "1:relu,1:relu,1:relu,1",
             "", "10,,3", "10,", "dropout:1", "dropout", "0", "-3", "100000001", "abc",
             "10:swish", "10:relu=2", "10:leaky_relu=nan", "10:", "1e3", "0x10", "dropout:-0.1",
             "conv:6:5:padding=2:relu,maxpool:2,conv:16:5:relu,maxpool:2,flatten,120:relu,84:relu,10",
             "conv:4:3:stride=2:padding=1:dilation=2:groups=2:nobias:tanh,batchnorm,flatten,3",
             "avgpool:2:stride=1:padding=1,globalavgpool,flatten,batchnorm,2", "conv:3:2,5",
             "maxpool:3:padding=2", "conv:6", "conv:6:5:stride=0", "conv:6:5:groups=4",
             "batchnorm:1", "conv:2:1:stride=1:stride=1"]
    for i, spec in enumerate(specs):
        write(folder, "spec-%02d" % i, spec)


# --- checkpoint options --------------------------------------------------------------------------

def checkpoint_options_corpus(out):
    folder = os.path.join(out, "checkpoint_options")
    default = {"batch": 64, "clip": 0.0, "dtype": "f32", "epochs": 10, "gamma": 0.1,
               "layers": "16:relu,3", "loss": "ce", "lr": 0.0, "momentum": 0.0, "nesterov": False,
               "normalize": "", "optimizer": "adam", "patience": 0, "schedule": "constant",
               "seed": 0, "shuffle": True, "step_size": 0, "val_split": 0.1, "warmup": 0,
               "weight_decay": -1.0}
    every = dict(default, batch=32, clip=1.5, dtype="f64", epochs=40, gamma=0.5,
                 layers="64:relu,dropout:0.2,10", loss="bce", lr=0.01, momentum=0.9,
                 nesterov=True, normalize="standard", optimizer="sgd", patience=5,
                 schedule="step", seed=4294967295, shuffle=False, step_size=3, val_split=0.2,
                 warmup=2, weight_decay=0.0001)
    for name, options in [("options-default", default), ("options-every-setting", every)]:
        write(folder, name, json.dumps(options, separators=(",", ":"), sort_keys=True))


# --- command lines -------------------------------------------------------------------------------

def command_line_corpus(out):
    folder = os.path.join(out, "command_line")
    lines = [
        [], ["--version"], ["--help"], ["xor"], ["xor", "--help"],
        ["xor", "--seed", "42"], ["xor", "--seed=3", "--iterations", "300", "--hidden", "8",
                                  "--lr", "0.5", "--json"],
        ["xor", "--lr", "nan"], ["xor", "--seed", "-1"], ["xor", "--seed", "4294967296"],
        ["xor", "--iterations", "0"], ["xor", "--json=yes"], ["xor", "--seed"], ["xor", "extra"],
        ["xor", "--seed", "1", "--seed", "2"], ["xor", "--bogus"], ["bogus"], ["-x"],
        ["train", "--data", "fashion-mnist", "--layers", "256:relu,128:relu,10", "--out",
         "fm.safetensors", "--report", "fm.html"],
        ["train", "--data", "d.csv", "--layers", "16:relu,3", "--optimizer", "sgd", "--lr",
         "0.1", "--momentum", "0.9", "--nesterov", "--weight-decay", "1e-4", "--schedule",
         "step", "--step-size", "2", "--gamma", "0.5", "--warmup", "1", "--clip", "1",
         "--batch", "32", "--epochs", "5", "--seed", "7", "--val-split", "0.2", "--no-shuffle",
         "--patience", "2", "--dtype", "f64", "--threads", "2", "--header", "--label", "y",
         "--normalize", "none", "--log", "l.csv", "--json", "--quiet"],
        ["train", "--data", "i.idx", "--labels", "l.idx", "--test", "t.idx", "--test-labels",
         "tl.idx", "--layers", "10", "--checkpoint-dir", "c", "--resume", "c", "--init", "m"],
        ["train"], ["train", "--data", "d.csv", "--loss", "xent"],
        ["train", "--data", "d.csv", "--lr", "0"], ["train", "--data", "d.csv", "--val-split", "1"],
        ["train", "--data", "d.csv", "--warmup", "10"], ["train", "--data", "d.csv", "--nesterov"],
        ["train", "--data", "d.csv", "--header", "--no-header"],
        ["train", "--data", "fashion-mnist", "--labels", "x"],
        ["train", "--data", "d.csv", "--test-labels", "x"], ["train", "--data", "d.csv", "--dtype", "f16"],
        ["train", "--data", "d.csv", "--threads", "0"], ["train", "--data", "d.csv", "--batch", "1e3"],
        ["eval", "m.safetensors", "d.csv", "--json"], ["eval", "m.safetensors", "fashion-mnist"],
        ["eval", "m.safetensors", "i.idx", "--labels", "l.idx", "--layers", "4:relu,2", "--loss", "bce"],
        ["eval", "m.safetensors", "d.csv", "--loss", "hinge"], ["eval", "m.safetensors"],
        ["predict", "m.safetensors", "d.csv", "--out", "p.csv", "--no-header", "--label", "0"],
        ["predict", "m.safetensors", "d.csv", "--header", "--no-header"],
        ["info", "m.safetensors"], ["info"], ["info", "a", "b"],
        ["gradcheck", "--layers", "16:tanh,8:gelu,3", "--loss", "ce"],
        ["gradcheck", "--layers", "4:leaky_relu=0.1,1", "--loss", "bce", "--inputs", "3",
         "--batch", "2", "--seed", "9"],
        ["gradcheck"], ["gradcheck", "--layers", "10,,3"], ["gradcheck", "--layers", "4", "--loss", "nll"],
        ["gradcheck", "--layers", "4", "--inputs", "100001"],
    ]
    for i, arguments in enumerate(lines):
        write(folder, "line-%02d" % i, "\0".join(arguments))


# --- model metadata ------------------------------------------------------------------------------

def metadata_input(metadata, checkpoint=False):
    """The fuzz_model_metadata input for `metadata`: 0x01 escapes the bytes 0 and 1."""
    def escaped(text):
        raw = text.encode("utf-8") if isinstance(text, str) else text
        return raw.replace(b"\x01", b"\x01\x01").replace(b"\x00", b"\x01\x00")
    data = bytes([1 if checkpoint else 0])
    for key, value in metadata.items():
        data += escaped(key) + b"\x00" + escaped(value) + b"\x00"
    return data


def model_metadata_corpus(out, scratchnet):
    folder = os.path.join(out, "model_metadata")
    model = {"format": "pt", "scratchnet": "1", "spec": "3:relu,2", "inputs": "2", "loss": "ce",
             "classes": '["cat","dog"]', "feature_names": '["x","y"]', "label_name": "label",
             "normalization": '{"mean":[0.5,-1],"scale":[2,0.25]}',
             "training": '{"epochs":1,"settings":{"optimizer":"adam"}}'}
    write(folder, "model", metadata_input(model))
    write(folder, "model-no-normalization",
          metadata_input({k: v for k, v in model.items() if k != "normalization"}))
    write(folder, "model-preprocessing",
          metadata_input(dict(model, pixel_scale="255",
                              missing_values='{"strategy":"median","fill":[1.5,-2]}')))
    hostile = {
        # Just past the bounds: a seed as long as the string bound would make every input the
        # fuzzer tries that long, and the unit tests cover long strings.
        "nested-training": ("training", "[" * 33 + "]" * 33),
        "deep-classes": ("classes", "[" * 40 + "]" * 40),
        "escape-classes": ("classes", json.dumps(["\x1b[2J\x1b[31mred", "a\rb"])),
        "nul-label": ("label_name", "lab\x00el\x1b]0;title\x07"),
        "tiny-scale": ("normalization", '{"mean":[0,0],"scale":[1e-320,1]}'),
        "negative-scale": ("normalization", '{"mean":[0,0],"scale":[-1,1]}'),
        "huge-mean": ("normalization", '{"mean":[1e308,-1e308],"scale":[1e-300,1]}'),
        "bce-two-outputs": ("loss", "bce"),
        "mse-two-outputs": ("loss", "mse"),
        "three-classes": ("classes", '["a","b","c"]'),
        "one-class": ("classes", '["a"]'),
        "other-spec": ("spec", "4:relu,2"),
        "inputs-huge": ("inputs", "99999999999999999999"),
        "inputs-zero": ("inputs", "0"),
        "bad-utf8-feature": ("feature_names", b'["\xff\xfe","y"]'),
        "training-not-json": ("training", "{epochs: 1"),
        "version-2": ("scratchnet", "2"),
        "zero-pixel-scale": ("pixel_scale", "0"),
        "nan-pixel-scale": ("pixel_scale", "nan"),
        "one-fill-value": ("missing_values", '{"strategy":"mean","fill":[1]}'),
        "fill-for-drop": ("missing_values", '{"strategy":"drop","fill":[1,2]}'),
        "unknown-strategy": ("missing_values", '{"strategy":"zero"}'),
    }
    for name, (key, value) in hostile.items():
        write(folder, "model-" + name, metadata_input(dict(model, **{key: value})))
    checkpoint = dict(model, checkpoint="2", run_id="0123456789abcdef0123456789abcdef",
                      data='{"rows":12,"features":2,"hash":"00000000000000ff"}',
                      epoch="1", random_state="", optimizer="Adam",
                      optimizer_steps="3", learning_rate="0.001",
                      options=json.dumps({"layers": "3:relu,2", "loss": "ce", "optimizer": "adam",
                                          "batch": 64, "epochs": 1, "dtype": "f32"}),
                      history="[]")
    write(folder, "checkpoint", metadata_input(checkpoint, checkpoint=True))
    write(folder, "checkpoint-batch-0",
          metadata_input(dict(checkpoint, options=json.dumps({"batch": 0})), checkpoint=True))
    if scratchnet:
        real_metadata_files(folder, scratchnet)


def header_metadata(path):
    """The __metadata__ of the safetensors file at `path`."""
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(length)).get("__metadata__", {})


def real_metadata_files(folder, scratchnet):
    """The metadata scratchnet writes for 3:relu,2 on 2 features: a model and a checkpoint."""
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data.csv")
        with open(data, "w") as f:
            f.write("x,y,label\n")
            for i in range(12):
                f.write("%g,%d,%s\n" % (i / 4, i % 5, "dog" if i % 3 else "cat"))
        model = os.path.join(work, "model.safetensors")
        checkpoints = os.path.join(work, "checkpoints")
        subprocess.run([scratchnet, "train", "--epochs", "1", "--quiet", "--threads", "1",
                        "--data", data, "--layers", "3:relu,2", "--out", model,
                        "--checkpoint-dir", checkpoints], check=True, stdout=subprocess.DEVNULL)
        write(folder, "real-model", metadata_input(header_metadata(model)))
        checkpoint = os.path.join(checkpoints, sorted(os.listdir(checkpoints))[-1])
        write(folder, "real-checkpoint", metadata_input(header_metadata(checkpoint), True))


def main():
    args = sys.argv[1:]
    scratchnet = None
    if "--scratchnet" in args:
        at = args.index("--scratchnet")
        scratchnet = args[at + 1]
        del args[at:at + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    out = args[0]
    for name in ["safetensors", "idx", "csv", "layer_spec", "command_line", "model_metadata",
                 "checkpoint_options"]:
        os.makedirs(os.path.join(out, name), exist_ok=True)
    safetensors_corpus(out, scratchnet)
    idx_corpus(out)
    csv_corpus(out)
    layer_spec_corpus(out)
    command_line_corpus(out)
    model_metadata_corpus(out, scratchnet)
    checkpoint_options_corpus(out)


if __name__ == "__main__":
    main()

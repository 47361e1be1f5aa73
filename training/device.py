"""Moves a training run to a lent accelerator machine and back, inside its transfer limits.

The device tool sends the working tree plus carried folders (64 MiB in all, the tracked tree takes
about 24 MiB) and brings back at most 8 files of 16 MiB from $OUT. Token files are ~140 MB raw but
compress about 6x with xz; weights come back as float16 in 15 MiB parts.

  python3 -m training.device pack --data training/.data/v2 --out .gpu [--valid-examples 4000]
  python3 -m training.device unpack --bundle .gpu --out /tmp/ripple-data          (on the device)
  python3 -m training.device send-weights --checkpoint RUN/model.pt --out "$OUT"  (on the device)
  python3 -m training.device receive-weights --parts DIR --out RUN/model.pt       (here)

The whole recipe, with the device commands, is in training/README.md ("Training on a lent GPU")."""

import argparse
import glob
import io
import json
import lzma
import os
import shutil

import numpy as np
import torch

PART_BYTES = 15 * 1024 * 1024
# The carried folder must leave room for the tracked tree inside the 64 MiB that travels.
MAX_BUNDLE_BYTES = 38 * 1024 * 1024
PART_PATTERN = "weights.part{:02d}"


def pack(data: str, out: str, valid_examples: int, train_examples: int = 0) -> dict:
    """xz-compressed token files plus index and meta; validation trimmed to its first examples,
    and training too when `train_examples` is set (examples are stored in generation order, a
    prefix is every file in the first passes)."""
    os.makedirs(out, exist_ok=True)
    train_index, train_tokens = split_prefix(data, "train", train_examples)
    valid_index, valid_tokens = split_prefix(data, "valid", valid_examples)
    # The training index is compressed too: at 300k examples it is 3.4 MiB raw, 1 MiB packed.
    payloads = {"train.bin": train_tokens, "train.idx": train_index.astype("<u4").tobytes(), "valid.bin": valid_tokens}
    for name, payload in payloads.items():
        with lzma.open(os.path.join(out, name + ".xz"), "wb", preset=6) as file:
            file.write(payload)
    valid_index.astype("<u4").tofile(os.path.join(out, "valid.idx"))
    shutil.copyfile(os.path.join(data, "meta.json"), os.path.join(out, "meta.json"))
    total = sum(os.path.getsize(path) for path in glob.glob(os.path.join(out, "*")))
    if total > MAX_BUNDLE_BYTES:
        raise SystemExit(f"bundle is {total / 2**20:.1f} MiB, over the {MAX_BUNDLE_BYTES / 2**20:.0f} MiB that can travel")
    return {"bundle": out, "bytes": total, "train_examples": int(len(train_index)), "valid_examples": int(len(valid_index))}


def split_prefix(data: str, split: str, examples: int):
    """The index of the split's first `examples` examples (0: all) and the token bytes they use."""
    index = np.fromfile(os.path.join(data, f"{split}.idx"), dtype="<u4").reshape(-1, 3)
    if examples > 0:
        index = index[:examples]
    end = int(index[-1, 0]) + int(index[-1, 2]) if len(index) else 0
    # Token ids are uint16: two bytes each.
    return index, read_bytes(os.path.join(data, f"{split}.bin"))[: 2 * end]


def unpack(bundle: str, out: str) -> dict:
    os.makedirs(out, exist_ok=True)
    for name in ("train.bin", "train.idx", "valid.bin"):
        compressed = os.path.join(bundle, name + ".xz")
        if not os.path.exists(compressed):
            # Bundles packed before the index was compressed carry it as it is.
            shutil.copyfile(os.path.join(bundle, name), os.path.join(out, name))
            continue
        with lzma.open(compressed, "rb") as source, open(os.path.join(out, name), "wb") as target:
            shutil.copyfileobj(source, target, 1 << 24)
    for name in ("valid.idx", "meta.json"):
        shutil.copyfile(os.path.join(bundle, name), os.path.join(out, name))
    return {"data": out, "bytes": sum(os.path.getsize(os.path.join(out, name)) for name in os.listdir(out))}


def send_weights(checkpoint: str, out: str) -> dict:
    """The weights (not the optimizer) in float16, split into parts the device may return."""
    state = torch.load(checkpoint, map_location="cpu")
    keep = {key: value for key, value in state.items() if key not in ("optimizer", "rng")}
    keep["model"] = {name: tensor.half() for name, tensor in state["model"].items()}
    buffer = io.BytesIO()
    torch.save(keep, buffer)
    payload = buffer.getvalue()
    os.makedirs(out, exist_ok=True)
    parts = 0
    for offset in range(0, len(payload), PART_BYTES):
        with open(os.path.join(out, PART_PATTERN.format(parts)), "wb") as file:
            file.write(payload[offset:offset + PART_BYTES])
        parts += 1
    if parts > 8:
        raise SystemExit(f"{parts} parts: the device returns at most 8 files")
    return {"parts": parts, "bytes": len(payload), "step": state.get("step")}


def receive_weights(parts: str, out: str) -> dict:
    """Joins the parts and restores float32 weights: the checkpoint export.py reads."""
    names = sorted(glob.glob(os.path.join(parts, "weights.part*")))
    if not names:
        raise SystemExit(f"no weights.part* files in {parts}")
    payload = b"".join(read_bytes(name) for name in names)
    state = torch.load(io.BytesIO(payload), map_location="cpu")
    state["model"] = {name: tensor.float() for name, tensor in state["model"].items()}
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    torch.save(state, out)
    return {"checkpoint": out, "parts": len(names), "step": state.get("step")}


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    packing = commands.add_parser("pack")
    packing.add_argument("--data", required=True)
    packing.add_argument("--out", required=True)
    packing.add_argument("--valid-examples", type=int, default=4000)
    packing.add_argument("--train-examples", type=int, default=0, help="keep only the first N training examples (0: all)")
    unpacking = commands.add_parser("unpack")
    unpacking.add_argument("--bundle", required=True)
    unpacking.add_argument("--out", required=True)
    sending = commands.add_parser("send-weights")
    sending.add_argument("--checkpoint", required=True)
    sending.add_argument("--out", required=True)
    receiving = commands.add_parser("receive-weights")
    receiving.add_argument("--parts", required=True)
    receiving.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.command == "pack":
        if args.valid_examples <= 0:
            parser.error("--valid-examples must be positive")
        if args.train_examples < 0:
            parser.error("--train-examples must be 0 (all) or positive")
        result = pack(args.data, args.out, args.valid_examples, args.train_examples)
    elif args.command == "unpack":
        result = unpack(args.bundle, args.out)
    elif args.command == "send-weights":
        result = send_weights(args.checkpoint, args.out)
    else:
        result = receive_weights(args.parts, args.out)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Exports a trained checkpoint to ONNX (opset 17) with the I/O of models/FORMAT.md and writes
the manifest that the runtime checks at load.

python3 -m training.export --checkpoint training/.runs/NAME/model.pt --out models
                           [--tokenizer models/tokenizer.json]"""

import argparse
import hashlib
import json
import os
import shutil

import torch

from .configs import MODEL_CONFIGS, ModelConfig, model_config
from .model import NextEditTransformer

OPSET = 17
MANIFEST_FORMAT = 1
INPUT_NAMES = ["input_ids", "position_ids", "past_keys", "past_values"]
OUTPUT_NAMES = ["logits", "present_keys", "present_values"]


COPY_HEAD_INPUT = "past_ids"
LOGIT_ROWS_INPUT = "logit_rows"


def input_names(config: ModelConfig) -> list:
    return INPUT_NAMES + ([COPY_HEAD_INPUT] if config.copy_head else []) + [LOGIT_ROWS_INPUT]


class ExportWrapper(torch.nn.Module):
    """Fixes the argument order and makes the past cache mandatory (past_len may be 0). The
    inputs after the cache are input_names' optional ones, in that order."""

    def __init__(self, model: NextEditTransformer):
        super().__init__()
        self.model = model

    def forward(self, input_ids, position_ids, past_keys, past_values, *extra):
        named = dict(zip(input_names(self.model.config)[len(INPUT_NAMES):], extra))
        return self.model(input_ids, position_ids, past_keys, past_values,
                          past_ids=named.get(COPY_HEAD_INPUT), logit_rows=named[LOGIT_ROWS_INPUT])


def load_checkpoint(path: str) -> NextEditTransformer:
    checkpoint = torch.load(path, map_location="cpu")
    model = NextEditTransformer(ModelConfig(**checkpoint["config"]))
    model.load_state_dict(checkpoint["model"])
    return model.eval()


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tensor_dims(config: ModelConfig) -> dict:
    cache = lambda length: [config.layers, "batch", config.heads, length, config.head_dim]  # noqa: E731
    inputs = {"input_ids": ["batch", "new_len"], "position_ids": ["batch", "new_len"],
              "past_keys": cache("past_len"), "past_values": cache("past_len")}
    if config.copy_head:
        inputs[COPY_HEAD_INPUT] = ["batch", "past_len"]
    inputs[LOGIT_ROWS_INPUT] = [1]
    return {
        "inputs": inputs,
        "outputs": {"logits": ["batch", "logit_rows", config.vocab_size],
                    "present_keys": cache("new_len"), "present_values": cache("new_len")},
    }


def export_onnx(model: NextEditTransformer, path: str) -> None:
    config = model.config
    past_len, new_len = 3, 5
    input_ids = torch.randint(0, config.vocab_size, (1, new_len))
    position_ids = torch.arange(past_len, past_len + new_len).unsqueeze(0)
    past = torch.randn(config.layers, 1, config.heads, past_len, config.head_dim)
    dynamic_axes = {
        "input_ids": {0: "batch", 1: "new_len"}, "position_ids": {0: "batch", 1: "new_len"},
        "past_keys": {1: "batch", 3: "past_len"}, "past_values": {1: "batch", 3: "past_len"},
        "logits": {0: "batch", 1: "logit_rows"},
        "present_keys": {1: "batch", 3: "new_len"}, "present_values": {1: "batch", 3: "new_len"},
    }
    arguments = (input_ids, position_ids, past, past.clone())
    if config.copy_head:
        arguments += (torch.randint(0, config.vocab_size, (1, past_len)),)
        dynamic_axes[COPY_HEAD_INPUT] = {0: "batch", 1: "past_len"}
    arguments += (torch.tensor([2], dtype=torch.int64),)
    with torch.no_grad():
        torch.onnx.export(ExportWrapper(model), arguments, path,
                          input_names=input_names(config), output_names=OUTPUT_NAMES, dynamic_axes=dynamic_axes,
                          opset_version=OPSET, do_constant_folding=True)


def write_manifest(out_dir: str, model_file: str, tokenizer_file: str, config: ModelConfig, extra: dict) -> dict:
    manifest = {
        "format": MANIFEST_FORMAT,
        "model": model_file,
        "sha256": sha256_of(os.path.join(out_dir, model_file)),
        "tokenizer": tokenizer_file,
        "tokenizerSha256": sha256_of(os.path.join(out_dir, tokenizer_file)),
        "vocabSize": config.vocab_size,
        "layers": config.layers,
        "heads": config.heads,
        "headDim": config.head_dim,
        "maxPositions": config.max_positions,
        "copyHead": config.copy_head,
        **tensor_dims(config),
        **extra,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as file:
        json.dump(manifest, file, indent=2)
        file.write("\n")
    return manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint")
    source.add_argument("--random-config", choices=sorted(MODEL_CONFIGS),
                        help="export randomly initialised weights (latency measurements)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--tokenizer", default="models/tokenizer.json")
    parser.add_argument("--model-file", default="model.onnx")
    args = parser.parse_args(argv)

    os.makedirs(args.out, exist_ok=True)
    if not os.path.exists(args.tokenizer):
        raise SystemExit(f"tokenizer {args.tokenizer} not found: the manifest pins its sha256")
    tokenizer_file = os.path.basename(args.tokenizer)
    tokenizer_target = os.path.join(args.out, tokenizer_file)
    # The manifest names files relative to itself, so the tokenizer travels with the model.
    if os.path.abspath(args.tokenizer) != os.path.abspath(tokenizer_target):
        shutil.copyfile(args.tokenizer, tokenizer_target)
    with open(tokenizer_target, encoding="utf-8") as file:
        tokenizer_vocab = json.load(file).get("vocabSize")

    if args.checkpoint:
        model = load_checkpoint(args.checkpoint)
        checkpoint = torch.load(args.checkpoint, map_location="cpu")
    else:
        torch.manual_seed(0)
        model = NextEditTransformer(model_config(args.random_config, vocab_size=tokenizer_vocab)).eval()
        checkpoint = {"config_name": args.random_config, "step": 0, "tokens_seen": 0}
    if tokenizer_vocab is not None and tokenizer_vocab != model.config.vocab_size:
        raise SystemExit(f"tokenizer vocabSize {tokenizer_vocab} != model vocab_size {model.config.vocab_size}")
    trained_with = checkpoint.get("data_tokenizer_sha256")
    if trained_with and trained_with != sha256_of(tokenizer_target):
        raise SystemExit(f"the model was trained on data tokenized by {trained_with[:12]}..., not by {args.tokenizer}")
    export_onnx(model, os.path.join(args.out, args.model_file))
    manifest = write_manifest(args.out, args.model_file, tokenizer_file, model.config, {
        "configName": checkpoint.get("config_name"), "parameters": model.parameter_count(),
        "trainedSteps": checkpoint.get("step"), "trainedTokens": checkpoint.get("tokens_seen"),
    })
    print(json.dumps({"model": os.path.join(args.out, args.model_file), "sha256": manifest["sha256"],
                      "bytes": os.path.getsize(os.path.join(args.out, args.model_file))}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

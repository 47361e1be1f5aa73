"""Runs the PyTorch model on sample inputs, a prefill from an empty cache and then a step that
extends that cache, and writes inputs and outputs to JSON. test/node/modelRuntime.test.ts runs
the exported ONNX model on the same inputs with onnxruntime-node (there is no Python
onnxruntime here) and compares.

python3 -m training.verify --checkpoint RUN/model.pt --out verify.json [--prefill 8 --step 4]"""

import argparse
import json

import torch

from .export import load_checkpoint


def tensor_record(tensor: torch.Tensor) -> dict:
    return {"dims": list(tensor.shape), "data": [float(value) for value in tensor.reshape(-1).tolist()]}


def int_record(tensor: torch.Tensor) -> dict:
    return {"dims": list(tensor.shape), "data": [int(value) for value in tensor.reshape(-1).tolist()]}


def sample_cases(model, prefill_len: int, step_len: int, seed: int) -> list:
    config = model.config
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, config.vocab_size, (1, prefill_len + step_len), generator=generator)
    empty = torch.zeros(config.layers, 1, config.heads, 0, config.head_dim)
    cases = []
    with torch.no_grad():
        prefill_positions = torch.arange(prefill_len).unsqueeze(0)
        no_ids = torch.zeros(1, 0, dtype=torch.int64)
        # Every row's logits (logit_rows = new_len), so the comparison covers them all.
        optional_inputs = lambda past_ids, new_len: {  # noqa: E731
            **({"past_ids": int_record(past_ids)} if config.copy_head else {}),
            "logit_rows": int_record(torch.tensor([new_len]))}
        logits, keys, values = model(ids[:, :prefill_len], prefill_positions, empty, empty, past_ids=no_ids)
        cases.append({"name": "prefill", "inputs": {
            "input_ids": int_record(ids[:, :prefill_len]), "position_ids": int_record(prefill_positions),
            "past_keys": tensor_record(empty), "past_values": tensor_record(empty), **optional_inputs(no_ids, prefill_len)},
            "outputs": {"logits": tensor_record(logits), "present_keys": tensor_record(keys),
                        "present_values": tensor_record(values)}})
        step_positions = torch.arange(prefill_len, prefill_len + step_len).unsqueeze(0)
        step_logits, step_keys, step_values = model(ids[:, prefill_len:], step_positions, keys, values,
                                                    past_ids=ids[:, :prefill_len])
        cases.append({"name": "step_with_past", "inputs": {
            "input_ids": int_record(ids[:, prefill_len:]), "position_ids": int_record(step_positions),
            "past_keys": tensor_record(keys), "past_values": tensor_record(values),
            **optional_inputs(ids[:, :prefill_len], step_len)},
            "outputs": {"logits": tensor_record(step_logits), "present_keys": tensor_record(step_keys),
                        "present_values": tensor_record(step_values)}})
        # The cached path must equal one pass over the whole sequence, or the runtime's cache is wrong.
        full_logits, _, _ = model(ids, torch.arange(prefill_len + step_len).unsqueeze(0), empty, empty, past_ids=no_ids)
        drift = float((full_logits[:, prefill_len:] - step_logits).abs().max())
        if drift > 1e-4:
            raise SystemExit(f"cached decoding differs from a full pass by {drift}")
    return cases


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--prefill", type=int, default=8)
    parser.add_argument("--step", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    model = load_checkpoint(args.checkpoint)
    cases = sample_cases(model, args.prefill, args.step, args.seed)
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump({"vocabSize": model.config.vocab_size, "cases": cases}, file)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

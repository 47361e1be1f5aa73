"""Where a checkpoint's target loss comes from, on the training and the validation split:
special tokens (ops, slots, no-change) versus text tokens that also occur in the prompt (the
model can copy them) versus text tokens it has to invent.

A model that copies has a low loss on prompt-present tokens on BOTH splits. A model that
recalls names from the training packages has a low loss there on the training split only.

    python3 -m training.diagnose --checkpoint training/.runs/NAME/model.pt --data training/.data/v2 [--examples 250]
"""

import argparse
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

from .dataset import example_tensors, load_meta, load_split
from .export import load_checkpoint


def target_losses(model, ids: np.ndarray, prompt_length: int) -> np.ndarray:
    with torch.no_grad():
        logits, _, _ = model(torch.from_numpy(ids[None, :-1]))
    log_probabilities = F.log_softmax(logits[0].float(), dim=-1)
    targets = torch.from_numpy(ids[prompt_length:])
    return -log_probabilities[prompt_length - 1:len(ids) - 1].gather(1, targets[:, None])[:, 0].numpy()


def diagnose_split(model, split, special_count: int, no_change_id: int, examples: int, max_positions: int, seed: int) -> dict:
    generator = np.random.default_rng(seed)
    chosen = generator.choice(split.examples, min(examples, split.examples), replace=False)
    sums: dict = {}
    for example in chosen:
        ids, prompt_length = example_tensors(split, int(example))
        if len(ids) > max_positions:
            continue
        losses = target_losses(model, ids, prompt_length)
        targets = ids[prompt_length:]
        kind = "no_change" if targets[0] == no_change_id else "edit"
        prompt = set(ids[:prompt_length].tolist())
        for token, loss in zip(targets.tolist(), losses.tolist()):
            group = "special" if token < special_count else ("text_in_prompt" if token in prompt else "text_novel")
            total, count = sums.get(f"{kind}:{group}", (0.0, 0))
            sums[f"{kind}:{group}"] = (total + loss, count + 1)
    return {name: {"loss": round(total / count, 3), "tokens": count} for name, (total, count) in sorted(sums.items())}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", required=True, help="a model.pt or checkpoint.pt from train.py (it names its config)")
    parser.add_argument("--data", required=True)
    parser.add_argument("--examples", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    meta = load_meta(args.data)
    specials = meta["specialTokens"]
    model = load_checkpoint(args.checkpoint)
    config = model.config
    if config.vocab_size != meta["vocabSize"]:
        parser.error(f"the checkpoint's vocabulary ({config.vocab_size}) is not the data's ({meta['vocabSize']})")
    report = {
        split: diagnose_split(model, load_split(args.data, split), len(specials), specials.index("<|no_change|>"),
                              args.examples, config.max_positions, args.seed)
        for split in ("train", "valid")
    }
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

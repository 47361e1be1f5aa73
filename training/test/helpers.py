"""Tiny datasets with a learnable rule, written in the FORMAT.md layout."""

import json
import os

import numpy as np

from training.dataset import write_split

VOCAB_SIZE = 512


def copy_task_examples(count: int, seed: int) -> list:
    """Random prompts (unlearnable, ~6 nats a token) and a fixed short target ending in <|eos|>
    (id 2): the loss can only fall far below 6 if it covers the target tokens alone."""
    generator = np.random.default_rng(seed)
    examples = []
    for _ in range(count):
        prompt_length = int(generator.integers(8, 40))
        prompt = [1] + [int(value) for value in generator.integers(60, VOCAB_SIZE, prompt_length - 1)]
        examples.append((prompt + [14, 2], prompt_length))
    return examples


def write_copy_dataset(directory: str, train: int = 200, valid: int = 40) -> None:
    write_split(directory, "train", copy_task_examples(train, 0))
    write_split(directory, "valid", copy_task_examples(valid, 1))
    with open(os.path.join(directory, "meta.json"), "w", encoding="utf-8") as file:
        json.dump({"vocabSize": VOCAB_SIZE, "specialTokens": [], "counts": {"examples": train + valid}}, file)

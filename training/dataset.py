"""Reads the token files described in models/FORMAT.md and forms length-bucketed, padded
batches whose loss covers the target tokens only."""

import json
import os
import queue
import threading
from dataclasses import dataclass
from typing import Iterator, Tuple

import numpy as np
import torch

PAD_ID = 0
IGNORE_INDEX = -100
# Examples are bucketed by length inside pools of this many examples to limit padding.
BUCKET_POOL_EXAMPLES = 2048


@dataclass
class TokenSplit:
    tokens: np.ndarray  # uint16 [total_tokens]
    index: np.ndarray  # uint32 [examples, 3]: start, promptLength, totalLength

    @property
    def examples(self) -> int:
        return int(self.index.shape[0])


def load_split(directory: str, split: str) -> TokenSplit:
    tokens = np.memmap(os.path.join(directory, f"{split}.bin"), dtype="<u2", mode="r")
    index = np.fromfile(os.path.join(directory, f"{split}.idx"), dtype="<u4")
    if index.size % 3 != 0:
        raise ValueError(f"{split}.idx holds {index.size} uint32s, not a multiple of 3")
    index = index.reshape(-1, 3)
    if index.shape[0] == 0:
        raise ValueError(f"{split} split is empty")
    ends = index[:, 0].astype(np.int64) + index[:, 2]
    if int(ends.max()) > tokens.size:
        raise ValueError(f"{split}.idx points past the end of {split}.bin")
    return TokenSplit(tokens=tokens, index=index)


def load_meta(directory: str) -> dict:
    with open(os.path.join(directory, "meta.json"), encoding="utf-8") as file:
        return json.load(file)


def usable_examples(split: TokenSplit, max_positions: int) -> np.ndarray:
    """Indices of examples that fit the context and have at least one target token."""
    prompt_lengths = split.index[:, 1].astype(np.int64)
    total_lengths = split.index[:, 2].astype(np.int64)
    keep = (total_lengths <= max_positions) & (prompt_lengths < total_lengths) & (prompt_lengths > 0)
    return np.nonzero(keep)[0]


def example_tensors(split: TokenSplit, example: int) -> Tuple[np.ndarray, int]:
    start, prompt_length, total_length = (int(value) for value in split.index[example])
    return np.asarray(split.tokens[start:start + total_length], dtype=np.int64), prompt_length


def make_batch(split: TokenSplit, examples: np.ndarray) -> Tuple[torch.Tensor, torch.Tensor]:
    """Right-padded inputs and next-token labels; labels are IGNORE_INDEX outside the target so
    the model learns to write edits, not to reproduce prompts."""
    rows = [example_tensors(split, int(example)) for example in examples]
    width = max(len(ids) for ids, _ in rows) - 1
    inputs = np.full((len(rows), width), PAD_ID, dtype=np.int64)
    labels = np.full((len(rows), width), IGNORE_INDEX, dtype=np.int64)
    for row, (ids, prompt_length) in enumerate(rows):
        inputs[row, : len(ids) - 1] = ids[:-1]
        # Position p predicts token p+1, so target tokens prompt_length.. are labels from p = prompt_length-1.
        labels[row, prompt_length - 1 : len(ids) - 1] = ids[prompt_length:]
    return torch.from_numpy(inputs), torch.from_numpy(labels)


def prompt_labels(split: TokenSplit, examples: np.ndarray, inputs: torch.Tensor, fraction: float,
                  generator: np.random.Generator) -> torch.Tensor:
    """Next-token labels at a random `fraction` of prompt positions, IGNORE_INDEX elsewhere, taken
    from the batch's own `inputs` (make_batch's, same examples in the same order).
    An auxiliary language-model loss on the prompt: most of a batch's tokens are prompt, and
    without it the model only learns from the few target tokens of each example (copying code
    from the window and history is what it needs most, and that is learned on prompt text)."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"prompt fraction {fraction} is outside [0, 1]")
    labels = torch.full(inputs.shape, IGNORE_INDEX, dtype=torch.int64)
    if fraction == 0.0:
        return labels
    for row, example in enumerate(examples):
        prompt_length = int(split.index[int(example), 1])
        # Position p predicts token p+1, the input at p+1; positions up to prompt_length-2 predict prompt tokens.
        positions = np.arange(prompt_length - 1)
        chosen = torch.from_numpy(positions[generator.random(positions.size) < fraction])
        labels[row, chosen] = inputs[row, chosen + 1]
    return labels


def batches(
    split: TokenSplit, usable: np.ndarray, batch_tokens: int, generator: np.random.Generator
) -> Iterator[np.ndarray]:
    """Endless stream of example-index batches whose padded size stays under batch_tokens."""
    lengths = split.index[:, 2].astype(np.int64)
    while True:
        order = generator.permutation(usable)
        for pool_start in range(0, len(order), BUCKET_POOL_EXAMPLES):
            pool = order[pool_start : pool_start + BUCKET_POOL_EXAMPLES]
            pool = pool[np.argsort(lengths[pool], kind="stable")]
            group: list = []
            longest = 0
            pool_batches = []
            for example in pool:
                candidate_longest = max(longest, int(lengths[example]))
                if group and candidate_longest * (len(group) + 1) > batch_tokens:
                    pool_batches.append(np.array(group))
                    group, candidate_longest = [], int(lengths[example])
                group.append(int(example))
                longest = candidate_longest
            if group:
                pool_batches.append(np.array(group))
            for batch_index in generator.permutation(len(pool_batches)):
                yield pool_batches[batch_index]


def prefetched(items: Iterator, depth: int) -> Iterator:
    """Runs an endless iterator on a daemon thread, `depth` items ahead of the consumer."""
    if depth <= 0:
        raise ValueError(f"depth must be positive, got {depth}")
    ready: "queue.Queue" = queue.Queue(maxsize=depth)

    def produce() -> None:
        for item in items:
            ready.put(item)

    threading.Thread(target=produce, daemon=True).start()
    while True:
        yield ready.get()


def write_split(directory: str, split: str, examples: list) -> None:
    """Writes (ids, prompt_length) pairs in the FORMAT.md layout; used by tests and smoke runs."""
    os.makedirs(directory, exist_ok=True)
    offsets, tokens = [], []
    position = 0
    for ids, prompt_length in examples:
        offsets.append((position, prompt_length, len(ids)))
        tokens.extend(ids)
        position += len(ids)
    np.asarray(tokens, dtype="<u2").tofile(os.path.join(directory, f"{split}.bin"))
    np.asarray(offsets, dtype="<u4").reshape(-1).tofile(os.path.join(directory, f"{split}.idx"))

import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stdout

import torch

from training.configs import config_dict, model_config
from training.dataset import write_split
from training.diagnose import main as diagnose
from training.model import NextEditTransformer

SPECIALS = ["<|pad|>", "<|bos|>", "<|eos|>", "<|no_change|>", "<|replace|>"]


def examples(offset: int) -> list:
    # Prompt 1, 10..19; targets: one no-change (specials only) and one edit whose text tokens
    # 12 and 13 are in the prompt while 40 + offset is not.
    prompt = [1] + list(range(10, 20))
    return [(prompt + [3, 2], len(prompt)), (prompt + [4, 12, 13, 40 + offset, 2], len(prompt))]


class DiagnoseTest(unittest.TestCase):
    def test_groups_target_tokens_by_where_they_can_come_from(self):
        work = tempfile.mkdtemp()
        write_split(work, "train", examples(0))
        write_split(work, "valid", examples(1))
        with open(os.path.join(work, "meta.json"), "w", encoding="utf-8") as file:
            json.dump({"vocabSize": 64, "specialTokens": SPECIALS}, file)
        checkpoint = os.path.join(work, "model.pt")
        config = model_config("tiny", vocab_size=64)
        # Shaped like train.py's checkpoints, which name their config.
        torch.save({"model": NextEditTransformer(config).state_dict(), "config": config_dict(config)}, checkpoint)
        output = io.StringIO()
        with redirect_stdout(output):
            diagnose(["--checkpoint", checkpoint, "--data", work, "--examples", "10"])
        report = json.loads(output.getvalue())
        for split in ("train", "valid"):
            counts = {group: value["tokens"] for group, value in report[split].items()}
            self.assertEqual(counts, {"edit:special": 2, "edit:text_in_prompt": 2, "edit:text_novel": 1, "no_change:special": 2})
            # A random-weight model is near uniform over 64 ids: about ln 64 = 4.16 nats a token.
            for value in report[split].values():
                self.assertGreater(value["loss"], 2.5)
                self.assertLess(value["loss"], 6.5)


if __name__ == "__main__":
    unittest.main()

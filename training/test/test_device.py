import json
import os
import tempfile
import unittest

import numpy as np
import torch

from training import device
from training.dataset import load_split, prefetched
from training.test.helpers import write_copy_dataset
from training.train import schedule_horizon


class DeviceTransferTest(unittest.TestCase):
    def test_pack_and_unpack_restore_the_token_files(self):
        work = tempfile.mkdtemp()
        data = os.path.join(work, "data")
        write_copy_dataset(data, train=300, valid=50)
        bundle = os.path.join(work, "bundle")
        packed = device.pack(data, bundle, valid_examples=20)
        self.assertEqual(packed["valid_examples"], 20)
        self.assertFalse(os.path.exists(os.path.join(bundle, "train.bin")))
        restored = os.path.join(work, "restored")
        device.unpack(bundle, restored)
        with open(os.path.join(data, "train.bin"), "rb") as original, open(os.path.join(restored, "train.bin"), "rb") as copy:
            self.assertEqual(original.read(), copy.read())
        original_valid, trimmed_valid = load_split(data, "valid"), load_split(restored, "valid")
        self.assertEqual(trimmed_valid.examples, 20)
        for example in range(20):
            start, _, length = (int(value) for value in original_valid.index[example])
            restart, _, relength = (int(value) for value in trimmed_valid.index[example])
            self.assertEqual(list(original_valid.tokens[start:start + length]), list(trimmed_valid.tokens[restart:restart + relength]))
        with open(os.path.join(restored, "meta.json"), encoding="utf-8") as file:
            self.assertIn("vocabSize", json.load(file))

    def test_pack_keeps_a_prefix_of_the_training_examples_when_asked(self):
        work = tempfile.mkdtemp()
        data = os.path.join(work, "data")
        write_copy_dataset(data, train=300, valid=50)
        bundle = os.path.join(work, "bundle")
        packed = device.pack(data, bundle, valid_examples=20, train_examples=120)
        self.assertEqual(packed["train_examples"], 120)
        restored = os.path.join(work, "restored")
        device.unpack(bundle, restored)
        original, trimmed = load_split(data, "train"), load_split(restored, "train")
        self.assertEqual(trimmed.examples, 120)
        last_start, _, last_length = (int(value) for value in original.index[119])
        self.assertEqual(trimmed.tokens.size, last_start + last_length)
        self.assertEqual(list(trimmed.tokens), list(original.tokens[: last_start + last_length]))

    def test_weights_travel_in_parts_and_come_back_as_float32(self):
        work = tempfile.mkdtemp()
        weights = {"layer": torch.randn(700, 1024), "gain": torch.ones(16)}
        checkpoint = os.path.join(work, "checkpoint.pt")
        torch.save({"model": weights, "optimizer": {"big": torch.zeros(10)}, "step": 42, "config": {"width": 8}}, checkpoint)
        original_part_bytes = device.PART_BYTES
        device.PART_BYTES = 1 << 20
        try:
            sent = device.send_weights(checkpoint, os.path.join(work, "out"))
        finally:
            device.PART_BYTES = original_part_bytes
        self.assertGreater(sent["parts"], 1)
        received = device.receive_weights(os.path.join(work, "out"), os.path.join(work, "back", "model.pt"))
        self.assertEqual(received["step"], 42)
        state = torch.load(os.path.join(work, "back", "model.pt"))
        self.assertNotIn("optimizer", state)
        self.assertEqual(state["config"], {"width": 8})
        self.assertEqual(state["model"]["layer"].dtype, torch.float32)
        self.assertLess(float((state["model"]["layer"] - weights["layer"]).abs().max()), 1e-2)

    def test_prefetched_keeps_order(self):
        stream = prefetched(iter(range(100)), 4)
        self.assertEqual([next(stream) for _ in range(100)], list(range(100)))
        with self.assertRaises(ValueError):
            next(prefetched(iter(range(3)), 0))


class ScheduleTest(unittest.TestCase):
    def test_horizon_follows_the_deadline_it_is_given(self):
        import time
        started = time.time() - 10.0
        # 10 steps in 10 s: 1 step a second, so a deadline 100 s away ends the schedule ~100 steps on.
        near = schedule_horizon(10, 0, 10_000, started, time.time() + 100)
        far = schedule_horizon(10, 0, 10_000, started, time.time() + 1000)
        self.assertAlmostEqual(near, 110, delta=3)
        self.assertAlmostEqual(far, 1010, delta=15)


if __name__ == "__main__":
    unittest.main()

import tempfile
import unittest

import numpy as np

from training.dataset import IGNORE_INDEX, batches, load_split, make_batch, prompt_labels, usable_examples, write_split


class DatasetTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp()
        self.examples = [([1, 10, 11, 12, 20, 2], 4), ([1, 13, 21, 22, 2], 2), ([1, 14, 15], 3), ([1] + [5] * 50 + [2], 10)]
        write_split(self.directory, "train", self.examples)
        self.split = load_split(self.directory, "train")

    def test_round_trip(self):
        self.assertEqual(self.split.examples, 4)
        self.assertEqual(list(self.split.index[1]), [6, 2, 5])
        self.assertEqual(list(self.split.tokens[6:11]), [1, 13, 21, 22, 2])

    def test_labels_cover_the_target_only(self):
        inputs, labels = make_batch(self.split, np.array([0, 1]))
        self.assertEqual(inputs.shape, (2, 5))
        self.assertEqual(labels[0].tolist(), [IGNORE_INDEX] * 3 + [20, 2])
        self.assertEqual(labels[1].tolist(), [IGNORE_INDEX, 21, 22, 2, IGNORE_INDEX])
        self.assertEqual(inputs[1].tolist(), [1, 13, 21, 22, 0])

    def test_prompt_labels_sample_prompt_positions_only(self):
        inputs, _ = make_batch(self.split, np.array([0, 1]))
        every = prompt_labels(self.split, np.array([0, 1]), inputs, 1.0, np.random.default_rng(0))
        # Example 0 has a 4-token prompt: positions 0..2 predict prompt tokens 10, 11, 12.
        self.assertEqual(every[0].tolist(), [10, 11, 12, IGNORE_INDEX, IGNORE_INDEX])
        self.assertEqual(every[1].tolist(), [13] + [IGNORE_INDEX] * 4)
        none = prompt_labels(self.split, np.array([0, 1]), inputs, 0.0, np.random.default_rng(0))
        self.assertTrue(bool((none == IGNORE_INDEX).all()))
        long_inputs, _ = make_batch(self.split, np.array([3]))
        long = prompt_labels(self.split, np.array([3]), long_inputs, 0.5, np.random.default_rng(0))
        sampled = int((long != IGNORE_INDEX).sum())
        self.assertTrue(0 < sampled < 9, sampled)
        with self.assertRaises(ValueError):
            prompt_labels(self.split, np.array([0]), inputs, 1.5, np.random.default_rng(0))

    def test_unusable_examples_are_dropped(self):
        # Example 2 has no target tokens; example 3 does not fit 32 positions.
        self.assertEqual(usable_examples(self.split, 32).tolist(), [0, 1])
        self.assertEqual(usable_examples(self.split, 100).tolist(), [0, 1, 3])

    def test_batches_stay_under_the_token_budget(self):
        stream = batches(self.split, np.array([0, 1, 3]), 60, np.random.default_rng(0))
        lengths = self.split.index[:, 2]
        seen = set()
        for _ in range(12):
            batch = next(stream)
            self.assertLessEqual(int(lengths[batch].max()) * len(batch), max(60, int(lengths[batch].max())))
            seen.update(int(example) for example in batch)
        self.assertEqual(seen, {0, 1, 3})

    def test_index_past_the_tokens_is_rejected(self):
        np.asarray([0, 1, 999], dtype="<u4").tofile(f"{self.directory}/train.idx")
        with self.assertRaises(ValueError):
            load_split(self.directory, "train")


if __name__ == "__main__":
    unittest.main()

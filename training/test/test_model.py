import unittest

import torch

from training.configs import ModelConfig, model_config
from training.model import NextEditTransformer


class ModelTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.model = NextEditTransformer(model_config("tiny", vocab_size=300)).eval()

    def test_cached_decoding_equals_a_full_pass(self):
        ids = torch.randint(0, 300, (2, 17))
        with torch.no_grad():
            full, full_keys, _ = self.model(ids)
            first, keys, values = self.model(ids[:, :9])
            second, new_keys, _ = self.model(ids[:, 9:], None, keys, values, past_ids=ids[:, :9])
        self.assertEqual(tuple(new_keys.shape), (2, 2, 2, 8, 32))  # only the new positions come back
        torch.testing.assert_close(torch.cat([first, second], dim=1), full, atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(torch.cat([keys, new_keys], dim=3), full_keys, atol=1e-5, rtol=1e-5)

    def test_empty_past_equals_no_past(self):
        ids = torch.randint(0, 300, (1, 5))
        empty = torch.zeros(2, 1, 2, 0, 32)
        with torch.no_grad():
            no_ids = torch.zeros(1, 0, dtype=torch.int64)
            torch.testing.assert_close(self.model(ids, None, empty, empty, past_ids=no_ids)[0], self.model(ids)[0])

    def test_rope_sees_relative_positions_only(self):
        ids = torch.randint(0, 300, (1, 6))
        with torch.no_grad():
            plain = self.model(ids)[0]
            shifted = self.model(ids, torch.arange(10, 16).unsqueeze(0))[0]
            gapped = self.model(ids, torch.tensor([[0, 1, 2, 20, 21, 22]]))[0]
        # A uniform shift keeps every distance, so a cached prefix may sit at any offset.
        torch.testing.assert_close(shifted, plain, atol=1e-4, rtol=1e-4)
        self.assertGreater(float((gapped - plain).abs().max()), 1e-3)

    def test_logit_mask_selects_positions(self):
        ids = torch.randint(0, 300, (2, 7))
        mask = torch.zeros(2, 7, dtype=torch.bool)
        mask[0, 3] = mask[1, 5] = True
        with torch.no_grad():
            full = self.model(ids)[0]
            selected = self.model(ids, logit_mask=mask)[0]
        torch.testing.assert_close(selected, full[mask])

    def test_copy_head_outputs_normalised_log_probabilities(self):
        ids = torch.randint(0, 300, (1, 9))
        with torch.no_grad():
            log_probabilities = self.model(ids)[0]
        torch.testing.assert_close(log_probabilities.exp().sum(-1), torch.ones(1, 9), atol=1e-4, rtol=1e-4)
        with self.assertRaises(ValueError):
            self.model(ids[:, 5:], None, *self.model(ids[:, :5])[1:])  # a past cache without its ids

    def test_copy_head_learns_to_copy_unseen_tokens(self):
        """A prompt of random tokens with a marker before one of them; the target is the marked
        token. Only copying solves it (the tokens are fresh every example): with the head the loss
        falls far below ln(vocab) in a few dozen steps, without it it cannot."""
        def train(copy_head: bool) -> float:
            torch.manual_seed(0)
            config = ModelConfig(vocab_size=300, width=64, layers=2, heads=2, mlp_hidden=176, copy_head=copy_head)
            model = NextEditTransformer(config)
            optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
            generator = torch.Generator().manual_seed(1)
            losses = []
            for _ in range(120):
                ids = torch.randint(10, 300, (16, 24), generator=generator)
                marked = torch.randint(1, 20, (16,), generator=generator)
                rows = torch.arange(16)
                ids[rows, marked - 1] = 5  # the marker
                ids[:, -2] = 6  # "copy now"
                ids[:, -1] = ids[rows, marked]
                mask = torch.zeros(16, 23, dtype=torch.bool)
                mask[:, -1] = True
                logits, _, _ = model(ids[:, :-1], logit_mask=mask)
                loss = torch.nn.functional.cross_entropy(logits, ids[:, -1])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(float(loss))
            return sum(losses[-10:]) / 10

        with_head, without_head = train(True), train(False)
        self.assertLess(with_head, 2.0)
        self.assertGreater(without_head, 4.5)

    def test_parameter_budgets(self):
        small = NextEditTransformer(model_config("small")).parameter_count()
        base = NextEditTransformer(model_config("base")).parameter_count()
        self.assertTrue(5e6 <= small <= 10e6, small)
        self.assertTrue(15e6 <= base <= 25e6, base)

    def test_bad_config_is_rejected(self):
        with self.assertRaises(ValueError):
            ModelConfig(width=100, heads=3).validate()
        with self.assertRaises(ValueError):
            model_config("huge")


if __name__ == "__main__":
    unittest.main()

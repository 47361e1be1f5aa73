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
            second, new_keys, _ = self.model(ids[:, 9:], None, keys, values)
        self.assertEqual(tuple(new_keys.shape), (2, 2, 2, 8, 32))  # only the new positions come back
        torch.testing.assert_close(torch.cat([first, second], dim=1), full, atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(torch.cat([keys, new_keys], dim=3), full_keys, atol=1e-5, rtol=1e-5)

    def test_empty_past_equals_no_past(self):
        ids = torch.randint(0, 300, (1, 5))
        empty = torch.zeros(2, 1, 2, 0, 32)
        with torch.no_grad():
            torch.testing.assert_close(self.model(ids, None, empty, empty)[0], self.model(ids)[0])

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

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

import onnx

from training.train import learning_rate_at
from training.test.helpers import write_copy_dataset

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_module(*args: str) -> str:
    completed = subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise AssertionError(f"{args} failed:\n{completed.stderr}")
    return completed.stdout


def read_log(run: str) -> list:
    with open(os.path.join(run, "log.jsonl"), encoding="utf-8") as file:
        return [json.loads(line) for line in file]


class TrainExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp()
        cls.data = os.path.join(cls.work, "data")
        write_copy_dataset(cls.data)
        cls.run_dir = os.path.join(cls.work, "run")
        run_module("training.train", "--config", "tiny", "--data", cls.data, "--out", cls.run_dir, "--steps", "20")

    def test_validation_loss_falls(self):
        losses = [record["valid_loss"] for record in read_log(self.run_dir) if record["event"] == "train"]
        self.assertGreaterEqual(len(losses), 2)
        # Counting the random prompt tokens would keep it near ln(452) = 6.1 nats.
        self.assertLess(losses[-1], 3.0)
        self.assertLess(losses[-1], losses[0])

    def test_resume_continues_from_the_checkpoint(self):
        run = os.path.join(self.work, "resume")
        run_module("training.train", "--config", "tiny", "--data", self.data, "--out", run, "--steps", "20", "--minutes", "0.001")
        first = read_log(run)
        stopped_at = [record for record in first if record["event"] == "done"][-1]["step"]
        self.assertLess(stopped_at, 20)
        output = run_module("training.train", "--config", "tiny", "--data", self.data, "--out", run, "--steps", "20", "--resume")
        self.assertIn(f"resumed from step {stopped_at}", output)
        self.assertEqual(read_log(run)[-1], {"event": "done", "step": 20, "tokens": read_log(run)[-1]["tokens"]})

    def test_init_starts_from_weights_with_a_fresh_schedule(self):
        run = os.path.join(self.work, "warm")
        output = run_module("training.train", "--config", "tiny", "--data", self.data, "--out", run, "--steps", "10",
                            "--init", os.path.join(self.run_dir, "model.pt"), "--learning-rate", "0.0005")
        self.assertIn("initialised from", output)
        first = [record for record in read_log(run) if record["event"] == "train"][0]
        # Warm weights: the first validation already sits at the trained model's loss, not at ln(512).
        self.assertLess(first["valid_loss"], 3.0)
        self.assertLessEqual(first["lr"], 0.0005)
        self.assertGreater(first["prompt_loss"], 0.0)

    def test_schedule_minutes_keeps_a_short_run_from_annealing(self):
        rates = {}
        for name, extra in (("short", []), ("long_schedule", ["--schedule-minutes", "60"])):
            run = os.path.join(self.work, name)
            run_module("training.train", "--config", "tiny", "--data", self.data, "--out", run, "--steps", "1000",
                       "--minutes", "0.08", *extra)
            rates[name] = [record["lr"] for record in read_log(run) if record["event"] == "train"][-1]
        # tiny: peak 3e-3, floor 3e-4. A run that ends its own schedule anneals to the floor;
        # one that is 5 s of a 60-minute schedule is still near the peak.
        self.assertLess(rates["short"], 1.5e-3)
        self.assertGreater(rates["long_schedule"], 2.5e-3)

    def test_learning_rate_warms_up_then_decays(self):
        rates = [learning_rate_at(step, 1.0, 10, 100, 0.1) for step in range(100)]
        self.assertAlmostEqual(rates[9], 1.0)
        self.assertLess(rates[0], rates[9])
        self.assertTrue(all(a >= b for a, b in zip(rates[9:], rates[10:])))
        self.assertAlmostEqual(learning_rate_at(100, 1.0, 10, 100, 0.1), 0.1)

    def test_export_matches_the_format_contract(self):
        out = os.path.join(self.work, "export")
        tokenizer = os.path.join(self.work, "tokenizer.json")
        with open(tokenizer, "w", encoding="utf-8") as file:
            json.dump({"version": 1, "vocabSize": 512, "specialTokens": [], "merges": []}, file)
        run_module("training.export", "--checkpoint", os.path.join(self.run_dir, "model.pt"), "--out", out, "--tokenizer", tokenizer)
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as file:
            manifest = json.load(file)
        with open(os.path.join(out, "model.onnx"), "rb") as file:
            self.assertEqual(hashlib.sha256(file.read()).hexdigest(), manifest["sha256"])
        model = onnx.load(os.path.join(out, "model.onnx"))
        onnx.checker.check_model(model)
        self.assertEqual(model.opset_import[0].version, 17)
        dims = lambda value: [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]  # noqa: E731
        self.assertEqual({value.name: dims(value) for value in model.graph.input},
                         {"input_ids": ["batch", "new_len"], "position_ids": ["batch", "new_len"],
                          "past_keys": [2, "batch", 2, "past_len", 32], "past_values": [2, "batch", 2, "past_len", 32],
                          "past_ids": ["batch", "past_len"], "logit_rows": [1]})
        self.assertEqual(manifest["inputs"]["past_keys"], [2, "batch", 2, "past_len", 32])
        self.assertEqual((manifest["copyHead"], manifest["inputs"]["past_ids"]), (True, ["batch", "past_len"]))
        self.assertEqual(dims(model.graph.output[0]), ["batch", "logit_rows", 512])
        self.assertEqual((manifest["vocabSize"], manifest["layers"], manifest["heads"], manifest["headDim"]), (512, 2, 2, 32))

        quantized = os.path.join(out, "model.int8.onnx")
        run_module("training.quantize", "--model", os.path.join(out, "model.onnx"), "--out", quantized,
                   "--manifest", os.path.join(out, "manifest.json"))
        onnx.checker.check_model(onnx.load(quantized))
        self.assertLess(os.path.getsize(quantized), 0.6 * os.path.getsize(os.path.join(out, "model.onnx")))
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as file:
            repointed = json.load(file)
        with open(quantized, "rb") as file:
            self.assertEqual(hashlib.sha256(file.read()).hexdigest(), repointed["sha256"])
        self.assertEqual(repointed["model"], "model.int8.onnx")
        ops = {node.op_type for node in onnx.load(quantized).graph.node}
        self.assertIn("MatMulInteger", ops)


if __name__ == "__main__":
    unittest.main()

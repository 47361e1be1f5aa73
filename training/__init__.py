"""Ripple next-edit model: training, export and verification (PyTorch -> ONNX)."""

"""Dynamic int8 quantization of the MatMul weights, written as an ONNX graph rewrite because
this machine has no Python onnxruntime (whose quantize_dynamic does the same):

    MatMul(X, W)  ->  Xq, sx, zx = DynamicQuantizeLinear(X)
                      Y = Cast(MatMulInteger(Xq, Wq, zx, 0)) * (sx * sw)

with W quantized per tensor, symmetric, to int8. onnxruntime fuses the pattern into its
DynamicQuantizeMatMul kernel. Keep the result only if training/measure_latency.mjs shows it
faster or smaller AND test/node/modelRuntime.test.ts-style comparisons show equal decisions.

python3 -m training.quantize --model models/model.onnx --out models/model.int8.onnx [--manifest models/manifest.json]
(--manifest points the manifest at the quantized file and records its sha256.)"""

import argparse
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Tiny matrices (RMSNorm gains, biases) are not worth the dequantization error.
MIN_QUANTIZED_ELEMENTS = 4096


def quantize_weight(weight: np.ndarray):
    scale = float(np.abs(weight).max()) / 127.0 or 1.0
    quantized = np.clip(np.round(weight / scale), -127, 127).astype(np.int8)
    return quantized, np.float32(scale)


def quantize_model(model: onnx.ModelProto) -> tuple:
    graph = model.graph
    initializers = {initializer.name: initializer for initializer in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    new_nodes, replaced = [], 0
    for node in graph.node:
        weight_name = node.input[1] if node.op_type == "MatMul" and len(node.input) == 2 else None
        weight = initializers.get(weight_name) if weight_name else None
        if weight is None or len(weight.dims) != 2 or np.prod(weight.dims) < MIN_QUANTIZED_ELEMENTS:
            new_nodes.append(node)
            continue
        array = numpy_helper.to_array(weight).astype(np.float32)
        quantized, scale = quantize_weight(array)
        base = f"{node.name or weight_name}_q{replaced}"
        graph.initializer.append(numpy_helper.from_array(quantized, f"{base}_weight"))
        graph.initializer.append(numpy_helper.from_array(np.array(scale, dtype=np.float32), f"{base}_weight_scale"))
        graph.initializer.append(numpy_helper.from_array(np.array(0, dtype=np.int8), f"{base}_weight_zero"))
        new_nodes += [
            helper.make_node("DynamicQuantizeLinear", [node.input[0]], [f"{base}_x", f"{base}_x_scale", f"{base}_x_zero"], name=f"{base}_dql"),
            helper.make_node("MatMulInteger", [f"{base}_x", f"{base}_weight", f"{base}_x_zero", f"{base}_weight_zero"], [f"{base}_int"], name=f"{base}_mmi"),
            helper.make_node("Cast", [f"{base}_int"], [f"{base}_float"], to=TensorProto.FLOAT, name=f"{base}_cast"),
            helper.make_node("Mul", [f"{base}_x_scale", f"{base}_weight_scale"], [f"{base}_scale"], name=f"{base}_scale_mul"),
            helper.make_node("Mul", [f"{base}_float", f"{base}_scale"], [node.output[0]], name=f"{base}_out"),
        ]
        replaced += 1
    del graph.node[:]
    graph.node.extend(new_nodes)
    used = {name for node in graph.node for name in node.input}
    unused = [initializer for initializer in graph.initializer if initializer.name not in used]
    for initializer in unused:
        graph.initializer.remove(initializer)
    return model, replaced


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--manifest", help="manifest.json to repoint at the quantized model")
    args = parser.parse_args(argv)
    model, replaced = quantize_model(onnx.load(args.model))
    onnx.checker.check_model(model)
    onnx.save(model, args.out)
    print(f"quantized {replaced} MatMul weights -> {args.out}")
    if args.manifest:
        from .export import sha256_of
        if os.path.dirname(os.path.abspath(args.out)) != os.path.dirname(os.path.abspath(args.manifest)):
            raise SystemExit("the quantized model must sit next to the manifest")
        with open(args.manifest, encoding="utf-8") as file:
            manifest = json.load(file)
        manifest.update({"model": os.path.basename(args.out), "sha256": sha256_of(args.out), "quantization": "int8-dynamic-matmul"})
        with open(args.manifest, "w", encoding="utf-8") as file:
            json.dump(manifest, file, indent=2)
            file.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

// The model manifest: parseManifest accepts what training/export.py writes and explains what it
// rejects, and checkSession compares an onnxruntime session's tensors with the manifest.

import { describe, expect, it } from 'vitest';
import { checkSession, parseManifest } from '../../src/node/manifest';

describe('parseManifest / checkSession', () => {
  const valid = {
    format: 1, model: 'model.onnx', sha256: 'a'.repeat(64), tokenizer: 'tokenizer.json', tokenizerSha256: 'b'.repeat(64),
    vocabSize: 300, layers: 2, heads: 2, headDim: 32, maxPositions: 768,
    inputs: { input_ids: ['batch', 'new_len'], position_ids: ['batch', 'new_len'], past_keys: [2, 'batch', 2, 'past_len', 32], past_values: [2, 'batch', 2, 'past_len', 32] },
    outputs: { logits: ['batch', 'new_len', 300], present_keys: [2, 'batch', 2, 'new_len', 32], present_values: [2, 'batch', 2, 'new_len', 32] },
  };

  it('accepts what export.py writes and explains what it rejects', () => {
    expect(parseManifest(valid).ok).toBe(true);
    const reason = (value: unknown): string => {
      const parsed = parseManifest(value);
      return parsed.ok ? 'ok' : parsed.reason;
    };
    expect(reason({ ...valid, model: '../elsewhere.onnx' })).toMatch(/plain file name/);
    expect(reason({ ...valid, sha256: 'xyz' })).toMatch(/sha256/);
    expect(reason({ ...valid, heads: 3 })).toMatch(/past_keys/);
    expect(reason({ ...valid, maxPositions: 10 ** 9 })).toMatch(/maxPositions/);
    expect(reason(null)).toMatch(/object/);
  });

  it('compares the session tensors with the manifest', () => {
    const manifest = parseManifest(valid);
    if (!manifest.ok) throw new Error(manifest.reason);
    const inputs = Object.entries(valid.inputs).map(([name, shape]) => ({ name, shape, type: name.endsWith('_ids') ? 'int64' : 'float32' }));
    const outputs = Object.entries(valid.outputs).map(([name, shape]) => ({ name, shape, type: 'float32' }));
    expect(checkSession(manifest.value, inputs, outputs)).toBeUndefined();
    expect(checkSession(manifest.value, inputs.slice(1), outputs)).toMatch(/inputs are/);
    expect(checkSession(manifest.value, inputs, [{ name: 'logits', shape: ['batch', 'new_len', 301] }, ...outputs.slice(1)])).toMatch(/logits/);
    expect(checkSession(manifest.value, [{ ...inputs[0]!, type: 'int32' }, ...inputs.slice(1)], outputs)).toMatch(/int32/);
  });

  it('a copy head adds past_ids, which the manifest and the session must both have', () => {
    const withHead = { ...valid, copyHead: true, inputs: { ...valid.inputs, past_ids: ['batch', 'past_len'] } };
    const manifest = parseManifest(withHead);
    if (!manifest.ok) throw new Error(manifest.reason);
    const reason = (value: unknown): string => {
      const parsed = parseManifest(value);
      return parsed.ok ? 'ok' : parsed.reason;
    };
    expect(reason({ ...withHead, inputs: valid.inputs })).toMatch(/lacks tensor "past_ids"/);
    expect(reason({ ...withHead, copyHead: 'yes' })).toMatch(/copyHead/);
    const inputs = Object.entries(withHead.inputs).map(([name, shape]) => ({ name, shape, type: name.endsWith('_ids') ? 'int64' : 'float32' }));
    const outputs = Object.entries(valid.outputs).map(([name, shape]) => ({ name, shape, type: 'float32' }));
    expect(checkSession(manifest.value, inputs, outputs)).toBeUndefined();
    // A session without the input (an older export under a new manifest) is refused at load.
    expect(checkSession(manifest.value, inputs.filter((input) => input.name !== 'past_ids'), outputs)).toMatch(/inputs are/);
    expect(checkSession(manifest.value, inputs.map((input) => (input.name === 'past_ids' ? { ...input, type: 'float32' } : input)), outputs)).toMatch(/past_ids/);

    // logit_rows is optional by presence: a manifest that lists it needs a session that has it.
    const rows = parseManifest({ ...withHead, inputs: { ...withHead.inputs, logit_rows: [1] } });
    if (!rows.ok) throw new Error(rows.reason);
    expect(checkSession(rows.value, inputs, outputs)).toMatch(/inputs are/);
    expect(checkSession(rows.value, [...inputs, { name: 'logit_rows', shape: [1], type: 'int64' }], outputs)).toBeUndefined();
  });
});

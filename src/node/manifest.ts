// The contract between training/export.py and the runtime (models/FORMAT.md): what the model
// file must look like before we trust it. Validation returns a reason string instead of
// throwing, because a bad model is an expected outcome that only disables the model.

export const MANIFEST_FORMAT = 1;
export const INPUT_NAMES = ['input_ids', 'position_ids', 'past_keys', 'past_values'] as const;
export const OUTPUT_NAMES = ['logits', 'present_keys', 'present_values'] as const;
/** The extra input of a model with a copy head: the token ids of the cached positions. */
export const COPY_HEAD_INPUT = 'past_ids';
/**
 * An optional input (newer exports have it): how many trailing positions get logits. A prefill
 * needs only its last row, and the vocabulary projection of every row costs about as much as
 * the rest of a small model.
 */
export const LOGIT_ROWS_INPUT = 'logit_rows';
/** Guards against a manifest that would make the runtime preallocate absurd caches. */
export const MAX_MANIFEST_POSITIONS = 8_192;
export const MAX_MANIFEST_VOCAB_SIZE = 65_536;

export type Dimension = number | string;

export interface ModelManifest {
  readonly format: number;
  readonly model: string;
  readonly sha256: string;
  readonly tokenizer: string;
  readonly tokenizerSha256: string;
  readonly vocabSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly headDim: number;
  readonly maxPositions: number;
  /** Its logits are a pointer-generator mixture that needs past_ids (FORMAT.md); absent means false. */
  readonly copyHead?: boolean;
  readonly inputs: Readonly<Record<string, readonly Dimension[]>>;
  readonly outputs: Readonly<Record<string, readonly Dimension[]>>;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** One tensor as the session reports it (onnxruntime's TensorValueMetadata, narrowed). */
export interface TensorDescription {
  readonly name: string;
  readonly type?: string;
  readonly shape?: readonly Dimension[];
}

export function parseManifest(value: unknown): Checked<ModelManifest> {
  if (typeof value !== 'object' || value === null) return fail('manifest is not a JSON object');
  const record = value as Record<string, unknown>;
  if (record.format !== MANIFEST_FORMAT) return fail(`manifest format ${String(record.format)} is not ${MANIFEST_FORMAT}`);
  for (const key of ['model', 'tokenizer'] as const) {
    const file = record[key];
    // Files are named relative to the manifest; a path could point anywhere on disk.
    if (typeof file !== 'string' || file === '' || /[\\/]/.test(file) || file.startsWith('.')) {
      return fail(`manifest "${key}" must be a plain file name, got ${JSON.stringify(file)}`);
    }
  }
  for (const key of ['sha256', 'tokenizerSha256'] as const) {
    if (typeof record[key] !== 'string' || !/^[0-9a-f]{64}$/.test(record[key] as string)) {
      return fail(`manifest "${key}" is not a sha256 hex digest`);
    }
  }
  const limits: Record<string, number> = {
    vocabSize: MAX_MANIFEST_VOCAB_SIZE,
    layers: 256,
    heads: 256,
    headDim: 1_024,
    maxPositions: MAX_MANIFEST_POSITIONS,
  };
  for (const [key, limit] of Object.entries(limits)) {
    const number = record[key];
    if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0 || number > limit) {
      return fail(`manifest "${key}" must be an integer in [1, ${limit}], got ${JSON.stringify(number)}`);
    }
  }
  if (record.copyHead !== undefined && typeof record.copyHead !== 'boolean') {
    return fail(`manifest "copyHead" must be true or false, got ${JSON.stringify(record.copyHead)}`);
  }
  for (const key of ['inputs', 'outputs'] as const) {
    const table = record[key];
    if (typeof table !== 'object' || table === null) return fail(`manifest "${key}" is missing`);
    for (const [name, dims] of Object.entries(table)) {
      if (!Array.isArray(dims) || !dims.every((dim) => typeof dim === 'string' || Number.isInteger(dim))) {
        return fail(`manifest ${key}.${name} is not a list of dimensions`);
      }
    }
  }
  const manifest = value as ModelManifest;
  const expected = expectedDimensions(manifest);
  for (const [name, dims] of [...Object.entries(expected.inputs), ...Object.entries(expected.outputs)]) {
    const declared = manifest.inputs[name] ?? manifest.outputs[name];
    if (!declared) return fail(`manifest lacks tensor "${name}"`);
    const mismatch = compareDimensions(dims, declared);
    if (mismatch) return fail(`manifest tensor "${name}" ${mismatch}`);
  }
  return { ok: true, value: manifest };
}

/** The shapes FORMAT.md prescribes for a manifest's hyperparameters. */
export function expectedDimensions(manifest: ModelManifest): {
  inputs: Record<string, Dimension[]>;
  outputs: Record<string, Dimension[]>;
} {
  const cache = (length: string): Dimension[] => [manifest.layers, 'batch', manifest.heads, length, manifest.headDim];
  return {
    inputs: {
      input_ids: ['batch', 'new_len'],
      position_ids: ['batch', 'new_len'],
      past_keys: cache('past_len'),
      past_values: cache('past_len'),
      ...(manifest.copyHead ? { [COPY_HEAD_INPUT]: ['batch', 'past_len'] } : {}),
      ...(hasLogitRows(manifest) ? { [LOGIT_ROWS_INPUT]: [1] } : {}),
    },
    outputs: { logits: ['batch', 'new_len', manifest.vocabSize], present_keys: cache('new_len'), present_values: cache('new_len') },
  };
}

/** Whether the model takes logit_rows; the session must then have it too (checkSession). */
export function hasLogitRows(manifest: ModelManifest): boolean {
  return Object.prototype.hasOwnProperty.call(manifest.inputs, LOGIT_ROWS_INPUT);
}

/** Checks the loaded session against the manifest: names, element types and fixed dimensions. */
export function checkSession(
  manifest: ModelManifest,
  inputs: readonly TensorDescription[],
  outputs: readonly TensorDescription[],
): string | undefined {
  const expected = expectedDimensions(manifest);
  const types: Record<string, string> = { input_ids: 'int64', position_ids: 'int64', [COPY_HEAD_INPUT]: 'int64', [LOGIT_ROWS_INPUT]: 'int64' };
  for (const [kind, described, table] of [
    ['input', inputs, expected.inputs],
    ['output', outputs, expected.outputs],
  ] as const) {
    const names = described.map((tensor) => tensor.name);
    const wanted = Object.keys(table);
    if (names.length !== wanted.length || wanted.some((name) => !names.includes(name))) {
      return `model ${kind}s are [${names.join(', ')}], expected [${wanted.join(', ')}]`;
    }
    for (const tensor of described) {
      const wantedType = types[tensor.name] ?? 'float32';
      if (tensor.type !== undefined && tensor.type !== wantedType) {
        return `model ${kind} "${tensor.name}" is ${tensor.type}, expected ${wantedType}`;
      }
      const dims = table[tensor.name];
      // An empty shape means the session does not know it; the first run would then fail loudly.
      if (dims && tensor.shape && tensor.shape.length > 0) {
        const mismatch = compareDimensions(dims, tensor.shape);
        if (mismatch) return `model ${kind} "${tensor.name}" ${mismatch}`;
      }
    }
  }
  return undefined;
}

/** Fixed dimensions must match exactly; symbolic ones may carry any name but must stay symbolic. */
function compareDimensions(expected: readonly Dimension[], actual: readonly Dimension[]): string | undefined {
  const describe = (dims: readonly Dimension[]): string => `[${dims.join(', ')}]`;
  if (expected.length !== actual.length) return `has shape ${describe(actual)}, expected ${describe(expected)}`;
  for (let axis = 0; axis < expected.length; axis++) {
    const want = expected[axis];
    const have = actual[axis];
    if (typeof want === 'number' ? have !== want : typeof have !== 'string') {
      return `has shape ${describe(actual)}, expected ${describe(expected)}`;
    }
  }
  return undefined;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

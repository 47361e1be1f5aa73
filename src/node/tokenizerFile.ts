// Loads models/tokenizer.json into a BpeTokenizer. A missing or malformed file is an expected
// outcome (the model is simply unavailable), so it comes back as a value with one clear reason.

import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { BpeTokenizer, validateTokenizerData, type TokenizerData } from '../core/bpe';

export type TokenizerLoadResult =
  | { readonly kind: 'loaded'; readonly tokenizer: BpeTokenizer; readonly sha256: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface TokenizerExpectations {
  /** The manifest's tokenizerSha256; a different file is refused. */
  readonly sha256?: string;
  /** The model's vocabulary size; a different tokenizer is refused. */
  readonly vocabSize?: number;
}

export async function loadTokenizerFile(
  path: string,
  expectations: TokenizerExpectations = {},
  signal?: AbortSignal,
): Promise<TokenizerLoadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) return { kind: 'unavailable', reason: 'aborted' };
    return { kind: 'unavailable', reason: `cannot read tokenizer ${path}: ${(error as Error).message}` };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (expectations.sha256 !== undefined && expectations.sha256 !== sha256) {
    return { kind: 'unavailable', reason: `tokenizer ${path} has sha256 ${sha256}, the manifest expects ${expectations.sha256}` };
  }
  return parseTokenizerBytes(bytes, path, sha256, expectations);
}

/** Synchronous variant for callers that already hold the file's bytes (the worker, tests). */
export function parseTokenizerBytes(
  bytes: Uint8Array,
  path: string,
  sha256: string,
  expectations: TokenizerExpectations = {},
): TokenizerLoadResult {
  let data: TokenizerData;
  try {
    data = validateTokenizerData(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch (error) {
    return { kind: 'unavailable', reason: `invalid tokenizer ${path}: ${(error as Error).message}` };
  }
  if (expectations.vocabSize !== undefined && expectations.vocabSize !== data.vocabSize) {
    return {
      kind: 'unavailable',
      reason: `tokenizer ${path} has ${data.vocabSize} tokens, the model expects ${expectations.vocabSize}`,
    };
  }
  return { kind: 'loaded', tokenizer: new BpeTokenizer(data), sha256 };
}

/** Compact JSON with one merge per line: diffs of a retrained tokenizer stay readable. */
export function formatTokenizerJson(data: TokenizerData): string {
  validateTokenizerData(data);
  const merges = data.merges.map((merge) => `    [${merge[0]}, ${merge[1]}]`).join(',\n');
  return (
    '{\n' +
    `  "version": ${data.version},\n` +
    `  "vocabSize": ${data.vocabSize},\n` +
    `  "specialTokens": ${JSON.stringify(data.specialTokens)},\n` +
    `  "merges": [\n${merges}\n  ]\n` +
    '}\n'
  );
}

export async function writeTokenizerFile(path: string, data: TokenizerData, signal?: AbortSignal): Promise<void> {
  await writeFile(path, formatTokenizerJson(data), signal ? { signal } : {});
}

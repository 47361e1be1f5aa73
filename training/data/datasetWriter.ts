// Serializes examples with THE serializer (src/core/prompt.ts) and writes the training files of
// models/FORMAT.md: <split>.bin (uint16 LE ids), <split>.idx (uint32 LE start, promptLength,
// totalLength per example) and, optionally, <split>.examples.jsonl for inspection and tests.

import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BpeTokenizer } from '../../src/core/bpe';
import { DEFAULT_PROMPT_BUDGET, parseTarget, serializePrompt, serializeTarget, type PromptBudget } from '../../src/core/prompt';
import type { Example } from './documents';

/** Longer targets are rewrites the runtime would not generate within its time budget. */
export const MAX_TARGET_TOKENS = 160;

export type SerializeOutcome =
  | { readonly kind: 'ok'; readonly ids: number[]; readonly promptLength: number }
  | { readonly kind: 'skipped'; readonly reason: string };

export function serializeExample(example: Example, tokenizer: BpeTokenizer, budget: PromptBudget = DEFAULT_PROMPT_BUDGET): SerializeOutcome {
  if (example.window.lines.length === 0) return { kind: 'skipped', reason: 'empty window' };
  const prompt = serializePrompt(example, tokenizer, budget);
  const target = serializeTarget(example.window, example.newLines, tokenizer);
  if (target.length > MAX_TARGET_TOKENS) return { kind: 'skipped', reason: 'target too long' };
  // A target that rewrites a line the prompt showed cut short would teach the model to invent text.
  const parsed = parseTarget(target, example.window, tokenizer, { lockedSlots: prompt.truncatedSlots });
  if (parsed.kind === 'invalid') return { kind: 'skipped', reason: 'target touches a truncated line' };
  return { kind: 'ok', ids: [...prompt.ids, ...target], promptLength: prompt.promptLength };
}

export interface SplitCounts {
  examples: number;
  tokens: number;
  maxPromptLength: number;
  maxTotalLength: number;
  byKind: Record<string, number>;
}

const FLUSH_BYTES = 1 << 20;

export class SplitWriter {
  readonly counts: SplitCounts = { examples: 0, tokens: 0, maxPromptLength: 0, maxTotalLength: 0, byKind: {} };
  private readonly binFile: number;
  private readonly indexFile: number;
  private readonly examplesFile: number | undefined;
  private pendingIds: number[] = [];
  private pendingIndex: number[] = [];

  constructor(directory: string, split: string, vocabSize: number, dumpExamples: boolean) {
    if (vocabSize > 65_536) throw new TypeError(`vocabSize ${vocabSize} does not fit uint16 ids`);
    this.binFile = openSync(join(directory, `${split}.bin`), 'w');
    this.indexFile = openSync(join(directory, `${split}.idx`), 'w');
    this.examplesFile = dumpExamples ? openSync(join(directory, `${split}.examples.jsonl`), 'w') : undefined;
  }

  add(example: Example, ids: readonly number[], promptLength: number): void {
    const start = this.counts.tokens;
    this.pendingIndex.push(start, promptLength, ids.length);
    for (const id of ids) this.pendingIds.push(id);
    this.counts.examples++;
    this.counts.tokens += ids.length;
    this.counts.maxPromptLength = Math.max(this.counts.maxPromptLength, promptLength);
    this.counts.maxTotalLength = Math.max(this.counts.maxTotalLength, ids.length);
    this.counts.byKind[example.kind] = (this.counts.byKind[example.kind] ?? 0) + 1;
    if (this.examplesFile !== undefined) {
      writeSync(this.examplesFile, `${JSON.stringify({ ...example, start, promptLength, totalLength: ids.length })}\n`);
    }
    if (this.pendingIds.length * 2 >= FLUSH_BYTES) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.binFile);
    closeSync(this.indexFile);
    if (this.examplesFile !== undefined) closeSync(this.examplesFile);
  }

  private flush(): void {
    const ids = Buffer.alloc(this.pendingIds.length * 2);
    this.pendingIds.forEach((id, index) => ids.writeUInt16LE(id, index * 2));
    const index = Buffer.alloc(this.pendingIndex.length * 4);
    this.pendingIndex.forEach((value, position) => index.writeUInt32LE(value, position * 4));
    writeSync(this.binFile, ids);
    writeSync(this.indexFile, index);
    this.pendingIds = [];
    this.pendingIndex = [];
  }
}

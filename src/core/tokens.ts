// A cheap, deterministic stand-in for a tokenizer. Context budgets only need to be roughly
// right and identical across runs; running the model's real tokenizer for every candidate
// snippet would cost more than the retrieval it bounds.

/** Source code averages about 3.5 characters per BPE token for code-trained vocabularies. */
export const CHARS_PER_TOKEN = 3.5;

/** Estimated model tokens in `text` (a count of tokens, never negative). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The longest prefix of `lines` (joined with '\n') whose estimate fits `maxTokens`, as a line count. */
export function linesWithinTokens(lines: readonly string[], maxTokens: number): number {
  let characters = 0;
  for (let count = 0; count < lines.length; count++) {
    characters += (lines[count] ?? '').length + (count > 0 ? 1 : 0);
    if (Math.ceil(characters / CHARS_PER_TOKEN) > maxTokens) return count;
  }
  return lines.length;
}

/** Jaccard similarity |a ∩ b| / |a ∪ b| in [0, 1]; two empty sets are not similar (0). */
export function jaccardSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const token of small) if (large.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}

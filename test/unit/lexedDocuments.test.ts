// The lexed-document cache the symbolic sources share: one lexing per text, none past the bound.

import { describe, expect, it } from 'vitest';
import { LexedDocuments, MAX_SCANNED_FILE_CHARS } from '../../src/core/lexedDocuments';

describe('LexedDocuments', () => {
  it('lexes a text once, again when it changes, and not at all past the bound', () => {
    const documents = new LexedDocuments();
    const first = documents.get('a.ts', 'const a = 1;\n');
    expect(first?.tokens.map((token) => token.text)).toEqual(['const', 'a', '=', '1', ';']);
    expect(documents.get('a.ts', 'const a = 1;\n')).toBe(first);
    expect(documents.get('a.ts', 'const a = 2;\n')).not.toBe(first);
    expect(documents.get('big.ts', 'x'.repeat(MAX_SCANNED_FILE_CHARS))).toBeDefined();
    expect(documents.get('big.ts', 'x'.repeat(MAX_SCANNED_FILE_CHARS + 1))).toBeUndefined();
  });
});

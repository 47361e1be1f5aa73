// The lexer's regular expression literals: what is inside one is not code (a backtick there used to
// open a template that swallowed the rest of the file), and a slash that divides still divides.

import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/codeTokens';

const identifiers = (text: string) => tokenize(text, 'javascript').filter((token) => token.kind === 'identifier').map((token) => token.text);

describe('tokenize: regular expression literals', () => {
  it('keeps quotes, backticks and brackets inside a regular expression out of the code', () => {
    const text = "const re = /^[!#$%&'*+.^_`|~-]+\\s*$/\nconst cache = new Lru(100)\n";
    expect(identifiers(text)).toEqual(['const', 're', 'const', 'cache', 'new', 'Lru']);
    expect(tokenize(text, 'javascript').find((token) => token.kind === 'string')?.text).toBe("/^[!#$%&'*+.^_`|~-]+\\s*$/");
  });

  it('reads a slash after an operand as division, and after an operator or keyword as a literal', () => {
    expect(identifiers('const half = total / 2 / count')).toEqual(['const', 'half', 'total', 'count']);
    expect(identifiers('const x = (a) / b')).toEqual(['const', 'x', 'a', 'b']);
    expect(identifiers('if (/`quote/i.test(line)) run(line)')).toEqual(['if', 'test', 'line', 'run', 'line']);
    expect(identifiers("return /[/'\"]/g.exec(text)")).toEqual(['return', 'exec', 'text']);
    // A closing tag, and a slash with nothing to close it on its line, stay punctuation.
    expect(identifiers('const el = <b>bold</b>')).toEqual(['const', 'el', 'b', 'bold', 'b']);
    expect(identifiers('x = a ? 1 : /\nfoo')).toEqual(['x', 'a', 'foo']);
  });
});

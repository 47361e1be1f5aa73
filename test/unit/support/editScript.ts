// The vocabulary of the engine property test: random documents, random user steps and a model
// that answers from a script. Generated text uses '\n' for a line break; the test turns it into
// the document's own line break, as an editor would.

import fc from 'fast-check';
import type { ModelInput, NextEditModel, WindowPrediction } from '../../../src/core/ports';

export const WORDS = ['count', 'total', 'item'];
/** '\n' in generated tokens stands for the document's own line break. */
export const TOKENS = [...WORDS.map((word) => ` ${word}`), ' ', '\t', '\n', '(', ')', ';', ' = ', '.', 'é', '日本', '😀', '👍🏽', ' a', '1'];
/** '😃' shares its high surrogate with '😀': a careless diff would split the pair. */
const MODEL_TOKENS = [...TOKENS, '😃'];
export const PATHS = ['a.ts', 'b.ts', 'c.ts'];
export const IMPORT_LINE = "import { count } from './a';";

export type Answer =
  | { readonly kind: 'insert'; readonly tokens: string[]; readonly score: number }
  | { readonly kind: 'replaceLine'; readonly line: number; readonly tokens: string[]; readonly score: number }
  | { readonly kind: 'deleteLine'; readonly line: number; readonly score: number }
  | { readonly kind: 'silent' };

/** What the user does right after a prediction. */
export type FollowUp =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'again' }
  | { readonly kind: 'typeThrough'; readonly count: number }
  | { readonly kind: 'accept'; readonly undo: boolean }
  | { readonly kind: 'reject' };

export type Step =
  | { readonly kind: 'type'; readonly doc: number; readonly at: number | undefined; readonly tokens: string[] }
  | { readonly kind: 'backspace'; readonly doc: number; readonly count: number }
  | { readonly kind: 'paste'; readonly doc: number; readonly from: number; readonly to: number; readonly tokens: string[] }
  | { readonly kind: 'rename'; readonly doc: number; readonly occurrence: number; readonly word: string; readonly then: FollowUp }
  | { readonly kind: 'undo' }
  | { readonly kind: 'predict'; readonly doc: number; readonly at: number | undefined; readonly interleave: string | undefined; readonly then: FollowUp }
  | { readonly kind: 'reopen'; readonly doc: number; readonly appended: string[] | undefined }
  | { readonly kind: 'close'; readonly doc: number }
  | { readonly kind: 'wait'; readonly ms: number };

export interface GeneratedDocument {
  readonly eol: '\n' | '\r\n';
  readonly withImport: boolean;
  readonly tokens: string[];
}

const tokens = (alphabet: readonly string[], maxLength: number) => fc.array(fc.constantFrom(...alphabet), { maxLength });
const score = fc.constantFrom(0.3, 0.7, 0.9);
const optionalNat = fc.option(fc.nat(), { nil: undefined });

export const documentArbitrary: fc.Arbitrary<GeneratedDocument> = fc.record({ eol: fc.constantFrom('\n' as const, '\r\n' as const), withImport: fc.boolean(), tokens: tokens(TOKENS, 40) });

export const answerArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert'), tokens: tokens(MODEL_TOKENS, 6), score }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replaceLine'), line: fc.nat(), tokens: tokens(MODEL_TOKENS, 6), score }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteLine'), line: fc.nat(), score }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'silent' }) },
) as fc.Arbitrary<Answer>;

const followUpArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'nothing' }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'again' }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('typeThrough'), count: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('accept'), undo: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reject' }) },
) as fc.Arbitrary<FollowUp>;

export const stepArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('type'), doc: fc.nat(), at: optionalNat, tokens: tokens(TOKENS, 5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('backspace'), doc: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('paste'), doc: fc.nat(), from: fc.nat(), to: fc.nat(), tokens: tokens(TOKENS, 12) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('rename'), doc: fc.nat(), occurrence: fc.nat(), word: fc.constantFrom(...WORDS), then: followUpArbitrary }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'undo' }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('predict'),
      doc: fc.nat(),
      at: optionalNat,
      interleave: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...TOKENS) }),
      then: followUpArbitrary,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reopen'), doc: fc.nat(), appended: fc.option(tokens(TOKENS, 4), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close'), doc: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait'), ms: fc.integer({ min: 0, max: 5_000 }) }) },
) as fc.Arbitrary<Step>;

/** Answers the cursor's window from a script, one answer per request, in turn. */
export class ScriptedModel implements NextEditModel {
  private next = 0;

  constructor(private readonly answers: readonly Answer[]) {}

  async predict(input: ModelInput): Promise<readonly WindowPrediction[]> {
    const answer = this.answers[this.next++ % Math.max(1, this.answers.length)];
    const window = input.windows[0];
    if (!answer || !window || answer.kind === 'silent' || window.lines.length === 0) return [];
    const lines = [...window.lines];
    if (answer.kind === 'insert') {
      if (!window.cursor) return [];
      const row = window.cursor.line - window.startLine;
      const line = lines[row] ?? '';
      const edited = line.slice(0, window.cursor.character) + answer.tokens.join('') + line.slice(window.cursor.character);
      lines.splice(row, 1, ...edited.split('\n'));
    } else if (answer.kind === 'replaceLine') {
      lines.splice(answer.line % lines.length, 1, ...answer.tokens.join('').split('\n'));
    } else {
      lines.splice(answer.line % lines.length, 1);
    }
    return [{ window, newLines: lines, score: answer.score }];
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentStore } from '../../src/core/documents';
import { applyEdits, rebaseEdit } from '../../src/core/edits';
import { Engine } from '../../src/core/engine';
import { EditHistory } from '../../src/core/history';
import { Ranker } from '../../src/core/ranker';
import { holdsReplacedText, replacedTextReader } from '../../src/core/replacedText';
import { SuggestionCache } from '../../src/core/suggestionCache';
import { LineIndex } from '../../src/core/text';
import { TextProvider } from '../../src/core/textProvider';
import type { ChangeEvent, ScoredEdit, Suggestion } from '../../src/core/types';
import { rebaseEdits as rebaseShownEdits } from '../../src/vscode/presentation';

const PATH = 'invoice.ts';
const INVOICE = "import { formatPrice } from './price';\n\nexport function line(amount: number): string {\n  return formatPrice(amount);\n}\n";

function scored(line: number, start: number, end: number, text: string, path = PATH): ScoredEdit {
  return { path, range: { start: { line, character: start }, end: { line, character: end } }, text, score: 0.9, source: 'propagation' };
}

function stampOne(text: string, edit: ScoredEdit): ScoredEdit {
  const [stamped] = replacedTextReader((path) => (path === edit.path ? text : undefined))([edit]) ?? [];
  if (!stamped) throw new Error('could not stamp');
  return stamped;
}

function applied(text: string, change: ChangeEvent): string {
  const result = applyEdits(text, [change], { eol: 'literal' });
  if (result.kind !== 'applied') throw new Error(result.reason);
  return result.text;
}

describe('replacedTextReader', () => {
  it('records the replaced text and the rest of its lines', () => {
    const rename = stampOne(INVOICE, scored(2, 21, 27, 'total'));
    expect(rename.replaced).toEqual({ text: 'amount', before: 'export function line(', after: ': number): string {' });
    const insertion = stampOne(INVOICE, scored(3, 27, 27, ", 'USD'"));
    expect(insertion.replaced).toEqual({ text: '', before: '  return formatPrice(amount', after: ');' });
  });

  it('refuses a batch with an edit in an unknown document or outside its document', () => {
    const stamp = replacedTextReader((path) => (path === PATH ? INVOICE : undefined));
    expect(stamp([scored(3, 27, 27, ', 1'), scored(0, 0, 0, 'x', 'other.ts')])).toBeUndefined();
    expect(stamp([scored(3, 27, 27, ', 1'), scored(3, 99, 99, 'x')])).toBeUndefined();
    expect(stamp([scored(3, 27, 27, ', 1'), scored(40, 0, 0, 'x')])).toBeUndefined();
  });
});

describe('the engine', () => {
  /** An engine whose only candidates are `proposals`, over one open document, invoice.ts. */
  function engineProposing(proposals: Suggestion[]): Engine {
    const documents = new DocumentStore();
    const engine = new Engine({
      clock: () => performance.now(),
      logger: { info: () => undefined, warn: () => undefined },
      documents,
      history: new EditHistory(),
      cache: new SuggestionCache(),
      propagation: { propose: () => ({ suggestions: proposals }) },
      retriever: { retrieve: () => [] },
      ranker: new Ranker(),
      texts: new TextProvider({ openText: (path) => documents.get(path) }),
    });
    engine.openDocument(PATH, INVOICE);
    return engine;
  }
  const suggestion = (id: string, edits: ScoredEdit[]): Suggestion => ({
    id,
    edits,
    score: 0.9,
    source: 'propagation',
    explanation: { snippets: [], confidence: 0.9, stageTimingsMs: {} },
  });

  it('stamps every edit it returns with what it replaces, and offers nothing it could not stamp', async () => {
    const engine = engineProposing([
      suggestion('unknown file', [scored(0, 0, 0, '// ', 'nowhere.ts')]),
      suggestion('past the end', [scored(3, 40, 40, ', 1')]),
      suggestion('good', [scored(3, 27, 27, ", 'USD'"), scored(2, 21, 27, 'total')]),
    ]);
    const result = await engine.predict({ path: PATH, position: { line: 3, character: 27 } }, {}, new AbortController().signal);
    expect(result.kind).toBe('suggestions');
    if (result.kind !== 'suggestions') return;
    expect(result.suggestions.map((offered) => offered.id)).toEqual(['good']);
    expect(result.suggestions[0]?.edits.map((edit) => edit.replaced)).toEqual([
      { text: '', before: '  return formatPrice(amount', after: ');' },
      { text: 'amount', before: 'export function line(', after: ': number): string {' },
    ]);
  });
});

describe('holdsReplacedText', () => {
  const insertion = stampOne(INVOICE, scored(3, 27, 27, ", 'USD'"));

  it('holds while the document is unchanged, or changed only on other lines', () => {
    expect(holdsReplacedText(new LineIndex(INVOICE), insertion)).toBe(true);
    expect(holdsReplacedText(new LineIndex(`${INVOICE}// more\n`), insertion)).toBe(true);
  });

  it('pins an insertion to its place: a line added above, or its own line edited, breaks it', () => {
    expect(holdsReplacedText(new LineIndex(`// header\n${INVOICE}`), insertion)).toBe(false);
    expect(holdsReplacedText(new LineIndex(INVOICE.replace('formatPrice(amount)', 'formatPrice(amount * 2)')), insertion)).toBe(false);
    expect(holdsReplacedText(new LineIndex(INVOICE.replace('return formatPrice', 'return  formatPrice')), insertion)).toBe(false);
  });

  it('never holds for an edit that does not say what it replaces', () => {
    expect(holdsReplacedText(new LineIndex(INVOICE), scored(3, 27, 27, ", 'USD'"))).toBe(false);
  });
});

// Documents from tokens that include both line breaks and a surrogate pair; positions fall
// between tokens, so none splits a '\r\n' or a pair.
const TOKENS = ['\r\n', '\n', 'é', '😀', 'a', 'b', ' '];
const tokens = (maxLength: number) => fc.array(fc.constantFrom(...TOKENS), { maxLength });

/**
 * A document, one edit on it and a few changes, each a short span (a start and a length in token
 * boundaries) of the document as it stands then, like a user's keystrokes.
 */
const span = fc.tuple(fc.nat(1_000), fc.nat(3));
const scenario = fc.record({
  parts: tokens(40),
  edit: fc.tuple(span, tokens(3)),
  changes: fc.array(fc.tuple(span, tokens(4)), { minLength: 1, maxLength: 5 }),
});

/** The span's start and end offsets in `text`. */
function locate(text: string, [start, length]: [number, number]): [number, number] {
  const places = boundaries(text);
  const first = start % places.length;
  return [places[first] as number, places[Math.min(first + length, places.length - 1)] as number];
}

/** Positions between the tokens of `text`, as offsets. */
function boundaries(text: string): number[] {
  const offsets = [0];
  for (let offset = 1; offset <= text.length; offset++) {
    const previous = text.charCodeAt(offset - 1);
    const splitsPair = text[offset - 1] === '\r' && text[offset] === '\n';
    const splitsSurrogate = previous >= 0xd800 && previous <= 0xdbff;
    if (!splitsPair && !splitsSurrogate) offsets.push(offset);
  }
  return offsets;
}

type Rebase = (edit: ScoredEdit, change: ChangeEvent) => ScoredEdit | undefined;

const rebasers: Record<string, Rebase> = {
  "the core's rebaseEdit (the suggestion cache)": (edit, change) => rebaseEdit(edit, change),
  "the editor's rebaseEdits (a shown suggestion)": (edit, change) => rebaseShownEdits([edit], change)?.[0],
};

describe.each(Object.entries(rebasers))('%s', (_name, rebase) => {
  it('keeps what a surviving edit replaces exact through every change the user makes', () => {
    let checks = 0;
    fc.assert(
      fc.property(scenario, ({ parts, edit: [editSpan, inserted], changes }) => {
        let document = parts.join('');
        let index = new LineIndex(document);
        const [from, to] = locate(document, editSpan);
        let edit: ScoredEdit | undefined = stampOne(document, {
          ...scored(0, 0, 0, inserted.join('')),
          range: { start: index.positionAt(from), end: index.positionAt(to) },
        });
        for (const [changeSpan, text] of changes) {
          const [start, end] = locate(document, changeSpan);
          const change: ChangeEvent = { path: PATH, range: { start: index.positionAt(start), end: index.positionAt(end) }, text: text.join('') };
          edit = rebase(edit, change);
          document = applied(document, change);
          index = new LineIndex(document);
          if (!edit) return;
          expect(holdsReplacedText(index, edit)).toBe(true);
          checks++;
        }
      }),
      { numRuns: 400 },
    );
    // The property means little if edits were simply dropped at the first change.
    expect(checks).toBeGreaterThan(150);
  });
});

describe('the suggestion cache', () => {
  it('keeps what an insertion replaces exact while the user types it and backspaces', () => {
    const cache = new SuggestionCache({ clock: () => 0 });
    let document = INVOICE;
    const cursor = { path: PATH, position: { line: 3, character: 27 } };
    const edits = replacedTextReader(() => document)([scored(3, 27, 27, ", 'USD'"), scored(2, 21, 27, 'total')]) ?? [];
    const suggestion: Suggestion = { id: 's', edits, score: 0.9, source: 'propagation', explanation: { snippets: [], confidence: 0.9, stageTimingsMs: {} } };
    cache.store(cursor, document, suggestion);
    const type = (line: number, character: number, endCharacter: number, text: string): void => {
      const change: ChangeEvent = { path: PATH, range: { start: { line, character }, end: { line, character: endCharacter } }, text };
      cache.observe(change);
      document = applied(document, change);
    };
    type(3, 27, 27, ',');
    type(3, 28, 28, ' ');
    type(3, 28, 29, '');
    const at = { path: PATH, position: { line: 3, character: 28 } };
    const pending = cache.lookup(at, document);
    expect(pending?.edits.map((edit) => edit.text)).toEqual([" 'USD'", 'total']);
    for (const edit of pending?.edits ?? []) expect(holdsReplacedText(new LineIndex(document), edit)).toBe(true);
  });
});

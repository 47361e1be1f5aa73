// Chooses the context snippets the model sees besides the edit window: definitions of the
// symbols around the cursor and in recent edits, other usages of symbols the edits changed
// (the places a rename or signature change must ripple to), and code similar to the latest
// edit. Everything is bounded by snippet count, lines and an estimated token budget.

import type { StopCheck } from './deadline';
import type { WorkspaceIndex } from './ports';
import type { Cursor, RecordedEdit, Snippet, SnippetReason } from './types';
import { identifierNames, identifiersInText, symbolAt } from './symbols';
import { estimateTokens, jaccardSimilarity, linesWithinTokens } from './tokens';

export const DEFAULT_MAX_SNIPPET_TOKENS = 600;
export const DEFAULT_MAX_SNIPPETS = 8;
export const DEFAULT_MAX_LINES_PER_SNIPPET = 24;
/** Matches the model's edit window (modelCandidates: 10 lines above and below the cursor). */
export const DEFAULT_EDITABLE_RADIUS_LINES = 10;
export const CURSOR_NEIGHBOURHOOD_LINES = 2;
export const RECENT_EDITS_CONSIDERED = 4;
export const MAX_SYMBOLS_LOOKED_UP = 16;
export const MAX_DEFINITIONS_PER_SYMBOL = 3;
export const MAX_CHANGED_SYMBOLS = 6;
export const MAX_USAGES_PER_SYMBOL = 24;
export const USAGE_CONTEXT_LINES = 2;
export const MAX_SIMILAR_CANDIDATE_FILES = 8;
export const MAX_SIMILAR_SNIPPETS = 4;
export const MAX_SIMILARITY_LINES_SCANNED = 20_000;
export const MIN_SIMILARITY = 0.2;
const MIN_SIMILAR_WINDOW_LINES = 3;
const OCCURRENCES_PER_SIMILARITY_NAME = 64;

// Score bands keep the promised order: cursor definition > other definitions > usages > similar.
const SCORE_CURSOR_DEFINITION = 1;
const SCORE_NEARBY_DEFINITION = 0.9;
const SCORE_EDIT_DEFINITION = 0.8;
const SCORE_USAGE = 0.6;
const SCORE_SIMILAR_MAX = 0.5;

const LINE_BREAK = /\r\n|\r|\n/;
/** The part of the index retrieval queries; fakes in tests implement only this. */
export type RetrievalIndex = Pick<WorkspaceIndex, 'definitions' | 'occurrences' | 'enclosingScope'>;

const SECRET_BASENAME = /^(\.env(\..*)?|.*\.(pem|key|p12|pfx|jks|keystore)|id_(rsa|dsa|ecdsa|ed25519).*|credentials.*\.json|\.netrc|\.npmrc|\.pypirc)$/i;

/** Files that may hold credentials: never indexed, read or shown to the model. */
export function isSecretPath(path: string): boolean {
  return SECRET_BASENAME.test(path.slice(path.lastIndexOf('/') + 1));
}

export interface RetrieverOptions {
  readonly index: RetrievalIndex;
  /** Current text of a workspace file, synchronously (open documents or a prefetched cache). */
  readonly readText: (path: string) => string | undefined;
  /** Estimated tokens (see estimateTokens) of all returned snippets together. */
  readonly maxSnippetTokens?: number;
  readonly maxSnippets?: number;
  readonly maxLinesPerSnippet?: number;
  /** Lines above and below the cursor that the model rewrites and so already sees. */
  readonly editableRadiusLines?: number;
}

export interface RetrievalRequest {
  readonly cursor: Cursor;
  /** Oldest first, as the history records them. */
  readonly history: readonly RecordedEdit[];
}

interface Candidate {
  readonly path: string;
  readonly startLine: number;
  /** Exclusive. */
  readonly endLine: number;
  readonly reason: SnippetReason;
  readonly score: number;
}

export class Retriever {
  private readonly index: RetrievalIndex;
  private readonly readText: (path: string) => string | undefined;
  private readonly maxSnippetTokens: number;
  private readonly maxSnippets: number;
  private readonly maxLinesPerSnippet: number;
  private readonly editableRadiusLines: number;

  constructor(options: RetrieverOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('Retriever options must be an object');
    if (typeof options.index?.definitions !== 'function') throw new TypeError('Retriever options.index must be a WorkspaceIndex');
    if (typeof options.readText !== 'function') throw new TypeError('Retriever options.readText must be a function');
    this.index = options.index;
    this.readText = options.readText;
    this.maxSnippetTokens = checkedInteger('maxSnippetTokens', options.maxSnippetTokens ?? DEFAULT_MAX_SNIPPET_TOKENS, 1);
    this.maxSnippets = checkedInteger('maxSnippets', options.maxSnippets ?? DEFAULT_MAX_SNIPPETS, 0);
    this.maxLinesPerSnippet = checkedInteger('maxLinesPerSnippet', options.maxLinesPerSnippet ?? DEFAULT_MAX_LINES_PER_SNIPPET, 1);
    this.editableRadiusLines = checkedInteger('editableRadiusLines', options.editableRadiusLines ?? DEFAULT_EDITABLE_RADIUS_LINES, 0);
  }

  /**
   * Snippets by descending score, within every bound. Aborting yields []; `signal` is polled
   * between symbols, files and similarity windows, so a deadline's check stops the scan on time.
   */
  retrieve(request: RetrievalRequest, signal: StopCheck): Snippet[] {
    const lines = new LineCache(this.readText);
    const recent = request.history.slice(-RECENT_EDITS_CONSIDERED).reverse();
    const candidates: Candidate[] = [];
    candidates.push(...this.definitionCandidates(request.cursor, recent, lines, signal));
    if (signal.aborted) return [];
    candidates.push(...this.usageCandidates(recent, lines, signal));
    if (signal.aborted) return [];
    candidates.push(...this.similarCandidates(request.cursor, recent[0], lines, signal));
    if (signal.aborted) return [];
    const placed = this.place(candidates, request.cursor, lines, signal);
    if (signal.aborted) return [];
    return this.withinBudget(placed, lines);
  }

  private definitionCandidates(cursor: Cursor, recent: readonly RecordedEdit[], lines: LineCache, signal: StopCheck): Candidate[] {
    const wanted = new Map<string, number>();
    const want = (name: string, score: number): void => {
      if (wanted.size < MAX_SYMBOLS_LOOKED_UP || wanted.has(name)) wanted.set(name, Math.max(score, wanted.get(name) ?? 0));
    };
    const fileLines = lines.get(cursor.path);
    const atCursor = symbolAt(fileLines?.[cursor.position.line] ?? '', cursor.position.character);
    if (atCursor) want(atCursor.name, SCORE_CURSOR_DEFINITION);
    for (let distance = 0; distance <= CURSOR_NEIGHBOURHOOD_LINES; distance++) {
      for (const line of new Set([cursor.position.line - distance, cursor.position.line + distance])) {
        for (const name of identifierNames(fileLines?.[line] ?? '')) want(name, SCORE_NEARBY_DEFINITION - 0.02 * distance);
      }
    }
    recent.forEach((edit, rank) => {
      for (const name of identifierNames(`${edit.hunk.beforeText}\n${edit.hunk.afterText}`)) want(name, SCORE_EDIT_DEFINITION - 0.05 * rank);
    });
    const candidates: Candidate[] = [];
    for (const [name, score] of wanted) {
      if (signal.aborted) break;
      const definitions = this.index
        .definitions(name)
        .filter((definition) => definition.kind !== 'parameter')
        // Same file first, then by path: deterministic and usually the right one.
        .sort((a, b) => rankPath(a.path, cursor.path) - rankPath(b.path, cursor.path) || compareText(a.path, b.path) || a.span.startLine - b.span.startLine)
        .slice(0, MAX_DEFINITIONS_PER_SYMBOL);
      for (const definition of definitions) {
        candidates.push({
          path: definition.path,
          startLine: definition.span.startLine,
          endLine: Math.min(definition.span.endLine, definition.span.startLine + this.maxLinesPerSnippet),
          reason: { kind: 'definition', symbol: name },
          score,
        });
      }
    }
    return candidates;
  }

  private usageCandidates(recent: readonly RecordedEdit[], lines: LineCache, signal: StopCheck): Candidate[] {
    const candidates: Candidate[] = [];
    changedSymbols(recent, this.index).forEach((name, rank) => {
      if (signal.aborted) return;
      const usages = [...this.index.occurrences(name, MAX_USAGES_PER_SYMBOL * 4)]
        .filter((usage) => !recent.some((edit) => edit.path === usage.path && insideHunk(edit, usage.position.line)))
        .sort((a, b) => compareText(a.path, b.path) || a.position.line - b.position.line)
        .slice(0, MAX_USAGES_PER_SYMBOL);
      for (const [order, usage] of usages.entries()) {
        // Each usage may be the first read of its file.
        if (signal.aborted) return;
        const lineCount = lines.get(usage.path)?.length ?? 0;
        const context = Math.min(USAGE_CONTEXT_LINES, Math.floor((this.maxLinesPerSnippet - 1) / 2));
        candidates.push({
          path: usage.path,
          startLine: Math.max(0, usage.position.line - context),
          endLine: Math.min(lineCount, usage.position.line + context + 1),
          reason: { kind: 'usage', symbol: name },
          score: SCORE_USAGE - 0.02 * rank - 0.001 * order,
        });
      }
    });
    return candidates;
  }

  private similarCandidates(cursor: Cursor, latest: RecordedEdit | undefined, lines: LineCache, signal: StopCheck): Candidate[] {
    if (!latest) return [];
    const query = new Set(identifierNames(`${latest.hunk.beforeText}\n${latest.hunk.afterText}`));
    if (query.size < 2) return [];
    const hunkLines = latest.hunk.afterText.split(LINE_BREAK).length;
    const windowLines = Math.min(this.maxLinesPerSnippet, Math.max(MIN_SIMILAR_WINDOW_LINES, hunkLines));
    const stride = Math.max(1, Math.floor(windowLines / 2));
    const scored: Candidate[] = [];
    let budgetLines = MAX_SIMILARITY_LINES_SCANNED;
    for (const path of this.similarityFiles(query, [latest.path, cursor.path])) {
      const fileLines = lines.get(path);
      if (!fileLines || budgetLines <= 0) continue;
      budgetLines -= fileLines.length;
      // Tokenized as the windows reach them: lines next to the cursor and the edit never are.
      const lineTokens: (string[] | undefined)[] = [];
      const tokensOf = (line: number): string[] => (lineTokens[line] ??= identifierNames(fileLines[line] ?? ''));
      for (let start = 0; start < fileLines.length; start += stride) {
        // Scanning candidate files is the longest loop of retrieval; one large file can take tens
        // of milliseconds, so the deadline is polled per window rather than per file.
        if (signal.aborted) return [];
        const end = Math.min(fileLines.length, start + windowLines);
        const overlapsHunk = path === latest.path && start < latest.hunk.startLine + hunkLines && end > latest.hunk.startLine;
        const overlapsCursor = path === cursor.path && start <= cursor.position.line + this.editableRadiusLines && end > cursor.position.line - this.editableRadiusLines;
        if (!overlapsHunk && !overlapsCursor) {
          const windowTokens = new Set<string>();
          for (let line = start; line < end; line++) for (const token of tokensOf(line)) windowTokens.add(token);
          const similarity = jaccardSimilarity(query, windowTokens);
          if (similarity >= MIN_SIMILARITY) {
            const rounded = Math.round(similarity * 1000) / 1000;
            scored.push({ path, startLine: start, endLine: end, reason: { kind: 'similar', similarity: rounded }, score: SCORE_SIMILAR_MAX * rounded });
          }
        }
        if (end === fileLines.length) break;
      }
    }
    scored.sort(compareCandidates);
    const chosen: Candidate[] = [];
    for (const candidate of scored) {
      if (chosen.length >= MAX_SIMILAR_SNIPPETS) break;
      if (!chosen.some((other) => overlaps(other, candidate))) chosen.push(candidate);
    }
    return chosen;
  }

  /** The files sharing the most identifiers with the query, found through the index. */
  private similarityFiles(query: ReadonlySet<string>, always: readonly string[]): string[] {
    const shared = new Map<string, number>();
    for (const name of query) {
      const paths = new Set(this.index.occurrences(name, OCCURRENCES_PER_SIMILARITY_NAME).map((occurrence) => occurrence.path));
      for (const path of paths) shared.set(path, (shared.get(path) ?? 0) + 1);
    }
    const ranked = [...shared].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0])).map(([path]) => path);
    return [...new Set([...always, ...ranked])].slice(0, MAX_SIMILAR_CANDIDATE_FILES);
  }

  /**
   * Drops secrets and the editable region, then merges overlapping candidates: the higher score
   * keeps its reason, and a lower one either joins it (when the union stays short) or is trimmed
   * to the lines not yet covered.
   */
  private place(candidates: readonly Candidate[], cursor: Cursor, lines: LineCache, signal: StopCheck): Candidate[] {
    const placed: Candidate[] = [];
    const editable = { startLine: cursor.position.line - this.editableRadiusLines, endLine: cursor.position.line + this.editableRadiusLines + 1 };
    for (const raw of [...candidates].sort(compareCandidates)) {
      // Each candidate may be the first read (and split) of its file.
      if (signal.aborted) break;
      if (isSecretPath(raw.path)) continue;
      const lineCount = lines.get(raw.path)?.length;
      if (lineCount === undefined) continue;
      let candidate: Candidate | undefined = { ...raw, endLine: Math.min(raw.endLine, lineCount) };
      if (candidate.path === cursor.path) candidate = withoutRange(candidate, editable);
      for (const other of placed) {
        if (!candidate || other.path !== candidate.path) continue;
        if (candidate.startLine <= other.endLine && candidate.endLine >= other.startLine) {
          const union = { startLine: Math.min(other.startLine, candidate.startLine), endLine: Math.max(other.endLine, candidate.endLine) };
          const crossesEditable = candidate.path === cursor.path && overlaps(union, editable);
          if (union.endLine - union.startLine <= this.maxLinesPerSnippet && !crossesEditable) {
            placed[placed.indexOf(other)] = { ...other, ...union };
            candidate = undefined;
          } else {
            candidate = withoutRange(candidate, other);
          }
        }
      }
      if (candidate && candidate.endLine > candidate.startLine) placed.push(candidate);
    }
    return placed;
  }

  private withinBudget(placed: readonly Candidate[], lines: LineCache): Snippet[] {
    const snippets: Snippet[] = [];
    let tokensLeft = this.maxSnippetTokens;
    for (const candidate of [...placed].sort(compareCandidates)) {
      if (snippets.length >= this.maxSnippets || tokensLeft <= 0) break;
      const all = (lines.get(candidate.path) ?? []).slice(candidate.startLine, candidate.endLine);
      const kept = all.slice(0, linesWithinTokens(all, tokensLeft));
      if (kept.length === 0) continue;
      const text = kept.join('\n');
      tokensLeft -= estimateTokens(text);
      snippets.push({ path: candidate.path, startLine: candidate.startLine, endLine: candidate.startLine + kept.length, text, reason: candidate.reason, score: candidate.score });
    }
    return snippets;
  }
}

/**
 * Symbols whose other usages may need the same change, newest edit first: names an edit removed
 * (renamed away from), the function whose signature it touched, callees whose calls changed, and
 * names it introduced.
 */
export function changedSymbols(recent: readonly RecordedEdit[], index: Pick<RetrievalIndex, 'enclosingScope'>): string[] {
  const names: string[] = [];
  const add = (name: string | undefined): void => {
    if (name && !names.includes(name)) names.push(name);
  };
  for (const edit of recent) {
    const before = new Set(identifierNames(edit.hunk.beforeText));
    const after = new Set(identifierNames(edit.hunk.afterText));
    for (const name of before) if (!after.has(name)) add(name);
    const scope = index.enclosingScope(edit.path, { line: edit.hunk.startLine, character: 0 });
    if (scope?.name && scope.startLine === edit.hunk.startLine) add(scope.name);
    for (const identifier of identifiersInText(edit.hunk.afterText)) {
      const line = edit.hunk.afterText.split(LINE_BREAK)[identifier.position.line] ?? '';
      if (line.slice(identifier.position.character + identifier.length).trimStart().startsWith('(')) add(identifier.name);
    }
    for (const name of after) if (!before.has(name)) add(name);
  }
  return names.slice(0, MAX_CHANGED_SYMBOLS);
}

class LineCache {
  private readonly cache = new Map<string, readonly string[] | undefined>();

  constructor(private readonly readText: (path: string) => string | undefined) {}

  get(path: string): readonly string[] | undefined {
    if (!this.cache.has(path)) this.cache.set(path, isSecretPath(path) ? undefined : this.readText(path)?.split(LINE_BREAK));
    return this.cache.get(path);
  }
}

function insideHunk(edit: RecordedEdit, line: number): boolean {
  return line >= edit.hunk.startLine && line < edit.hunk.startLine + edit.hunk.afterText.split(LINE_BREAK).length;
}

/** The larger part of `candidate` left after removing `range`, or undefined when nothing is left. */
function withoutRange(candidate: Candidate, range: { startLine: number; endLine: number }): Candidate | undefined {
  if (!overlaps(candidate, range)) return candidate;
  const above = { startLine: candidate.startLine, endLine: Math.max(candidate.startLine, range.startLine) };
  const below = { startLine: Math.min(candidate.endLine, range.endLine), endLine: candidate.endLine };
  const larger = above.endLine - above.startLine >= below.endLine - below.startLine ? above : below;
  return larger.endLine > larger.startLine ? { ...candidate, ...larger } : undefined;
}

function overlaps(a: { startLine: number; endLine: number }, b: { startLine: number; endLine: number }): boolean {
  return a.startLine < b.endLine && b.startLine < a.endLine;
}

function compareCandidates(a: Candidate, b: Candidate): number {
  return b.score - a.score || compareText(a.path, b.path) || a.startLine - b.startLine;
}

function rankPath(path: string, preferred: string): number {
  return path === preferred ? 0 : 1;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkedInteger(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) throw new TypeError(`Retriever options.${name} must be an integer >= ${minimum}, got ${value}`);
  return value;
}

// Symbolic next-edit prediction: the user's latest change, generalized into a pattern (see
// patterns.ts), replayed at every other place it fits, in this file and in the files that use
// the same names. One suggestion per pattern, its sites ordered nearest-after-the-cursor first.

import { DECLARATION_WORDS, isKeyword, SourceText, type Token } from './codeTokens';
import type { StopCheck } from './deadline';
import { hashEdits } from './hash';
import { LexedDocuments } from './lexedDocuments';
import { editView, hunkView, logicalEdit, type EditView, type LogicalEdit } from './logicalEdit';
import { derivePatterns, patternKey, type Pattern } from './patterns';
import { argumentSites, commentWordSites, deleteLineSites, insertLineSites, mergeAdjacent, nameSites, overlaps, replaceSites, updatedArgumentTexts, type Site } from './propagationSites';
import { propagationConfidence, type PropagationFeatures } from './ranker';
import type { CandidateOutcome } from './engine';
import type { Clock, LineSpan, WorkspaceIndex } from './ports';
import type { Cursor, Position, RecordedEdit, ScoredEdit, Suggestion } from './types';
import { positiveInteger } from './validation';

export const DEFAULT_MAX_SITES = 50;
export const DEFAULT_MAX_FILES = 20;
/**
 * With a clock, a name left alone this long counts as finished even with the cursor still on it.
 * Longer than the pauses inside a word, shorter than "done typing, what next?". 0 disables the
 * still-typing guard altogether.
 */
export const DEFAULT_TYPING_PAUSE_MS = 500;
export const MAX_PRIOR_EDITS_COMPARED = 12;
export const MAX_INDEX_OCCURRENCES = 500;
const MAX_PATTERNS_PER_EDIT = 3;
/** Punctuation that cannot end a finished expression: operators and opening brackets. */
const DANGLING = /^(?:[-+*/%=<>!&|^~?:.([{]|\*\*|[=!<>]=|===|!==|=>|&&|\|\||\?\?|<<|>>|>>>|[-+*/%&|^]=|\?\.)$/;
/** Member names too common to follow across files: `.get` elsewhere is rarely the same `.get`. */
const COMMON_MEMBER_NAMES = new Set(['get', 'set', 'add', 'has', 'map', 'push', 'pop', 'length', 'name', 'value', 'id', 'type', 'data', 'then', 'call', 'apply', 'bind', 'toString', 'log', 'run', 'init']);

export interface PropagationOptions {
  /** Current text of any workspace file; undefined when unknown. */
  readonly readText: (path: string) => string | undefined;
  /** Hints for which files mention a name; every site is re-verified against readText. */
  readonly index?: WorkspaceIndex;
  readonly maxSites?: number;
  readonly maxFiles?: number;
  readonly clock?: Clock;
  readonly typingPauseMs?: number;
  /** Lexed documents, shared with the engine's other symbolic sources; a private cache when absent. */
  readonly documents?: LexedDocuments;
}

const NOTHING: CandidateOutcome = { suggestions: [] };

export interface PropagationRequest {
  readonly cursor: Cursor;
  readonly history: readonly RecordedEdit[];
}

/** Everything one proposal needs, built once per request. */
interface Proposal {
  readonly edit: LogicalEdit;
  readonly view: EditView;
  readonly document: SourceText;
  readonly cursor: Cursor;
  readonly signal: StopCheck;
  readonly load: (path: string) => SourceText | undefined;
  /** Set when a pattern was held back until the typing pause: how long until it would pass. */
  retryAfterMs?: number;
}

interface Outcome {
  readonly sites: ReadonlyMap<string, readonly Site[]>;
  readonly description: string;
  readonly targetKnown?: boolean;
  readonly oldNameOrphaned?: boolean;
}

export class PropagationPredictor {
  private readonly readText: (path: string) => string | undefined;
  private readonly index: WorkspaceIndex | undefined;
  private readonly maxSites: number;
  private readonly maxFiles: number;
  private readonly clock: Clock | undefined;
  private readonly typingPauseMs: number;
  private readonly documents: LexedDocuments;

  constructor(options: PropagationOptions) {
    if (typeof options?.readText !== 'function') throw new TypeError('readText must be a function');
    this.readText = options.readText;
    this.index = options.index;
    this.documents = options.documents ?? new LexedDocuments();
    this.maxSites = positiveInteger('maxSites', options.maxSites ?? DEFAULT_MAX_SITES);
    this.maxFiles = positiveInteger('maxFiles', options.maxFiles ?? DEFAULT_MAX_FILES);
    if (options.clock !== undefined && typeof options.clock !== 'function') throw new TypeError('clock must be a function');
    this.clock = options.clock;
    this.typingPauseMs = options.typingPauseMs ?? DEFAULT_TYPING_PAUSE_MS;
    if (!Number.isFinite(this.typingPauseMs) || this.typingPauseMs < 0) {
      throw new TypeError(`typingPauseMs must be a non-negative number, got ${options.typingPauseMs}`);
    }
  }

  /** `signal` is polled between files and patterns: a deadline's check stops the scan on time. */
  propose(request: PropagationRequest, signal: StopCheck): CandidateOutcome {
    const edit = logicalEdit(request.history);
    if (!edit || signal.aborted) return NOTHING;
    const loaded = new Map<string, SourceText | undefined>();
    const load = (path: string): SourceText | undefined => {
      if (!loaded.has(path)) loaded.set(path, this.lex(path));
      return loaded.get(path);
    };
    const document = load(edit.path);
    const view = document && editView(edit, document);
    if (!document || !view) return NOTHING;
    const proposal: Proposal = { edit, view, document, cursor: request.cursor, signal, load };
    const priors = priorApplications(request.history, edit.mergedCount);
    const suggestions: Suggestion[] = [];
    for (const pattern of derivePatterns(view).slice(0, MAX_PATTERNS_PER_EDIT)) {
      if (signal.aborted) return NOTHING;
      // Renaming two uses in one go is the same as renaming one twice.
      const repeated = pattern.kind === 'rename' || pattern.kind === 'member' ? pattern.occurrences - 1 : 0;
      const prior = (priors.get(patternKey(pattern)) ?? 0) + repeated;
      const outcome = this.outcome(pattern, prior, proposal);
      const suggestion = outcome && this.suggestion(pattern, prior, outcome, proposal);
      if (suggestion) suggestions.push(suggestion);
    }
    // A pattern cut short found only some of its sites: a partial rename is worse than none.
    if (signal.aborted) return NOTHING;
    // Two readings of one edit (a rename, an argument change) may propose the very same edits.
    const seen = new Set<string>();
    const unique = suggestions
      .sort((a, b) => b.score - a.score)
      .filter((suggestion) => {
        const key = hashEdits(suggestion.edits);
        return !seen.has(key) && seen.add(key) !== undefined;
      });
    return { suggestions: unique, ...(proposal.retryAfterMs !== undefined ? { retryAfterMs: proposal.retryAfterMs } : {}) };
  }

  /** The file's current text, lexed; a cached copy when the text did not change. */
  private lex(path: string): SourceText | undefined {
    const text = this.readText(path);
    return text === undefined ? undefined : this.documents.get(path, text);
  }

  private outcome(pattern: Pattern, prior: number, proposal: Proposal): Outcome | undefined {
    const { edit, document } = proposal;
    const local = (find: (source: SourceText) => Site[]): Map<string, Site[]> => new Map([[edit.path, find(document)]]);
    switch (pattern.kind) {
      case 'rename':
      case 'member': {
        if (pattern.occurrences < 2 && !this.looksComplete(pattern.tail, proposal)) return undefined;
        const oldDeclared = this.declared(pattern.from, proposal);
        // Both names declared: the user switched to another variable; that is not a rename.
        if (pattern.kind === 'rename' && oldDeclared && this.declared(pattern.to, proposal)) return undefined;
        const includeMembers = pattern.kind === 'rename' && (pattern.memberDeclaration || this.inClassBody(proposal));
        // The old name still declared elsewhere: only its uses in the edited function are ours.
        const scope = pattern.kind === 'rename' && oldDeclared ? this.enclosingFunction(proposal) : undefined;
        const paths = scope ? [edit.path] : [edit.path, ...this.relatedFiles(pattern.from, pattern.kind === 'member' || includeMembers, proposal)];
        const inScope = (source: SourceText, site: Site): boolean => !scope || (source.lineOf(site.start) >= scope.startLine && source.lineOf(site.start) < scope.endLine);
        const arrow = pattern.kind === 'member' ? `\`.${pattern.from}\` → \`.${pattern.to}\`` : `\`${pattern.from}\` → \`${pattern.to}\``;
        return {
          sites: this.collect(paths, (source) => nameSites(source, pattern, includeMembers).filter((site) => inScope(source, site)), proposal),
          description: `rename ${arrow}`,
          // `.has` being used on other objects says nothing; a known free name does.
          targetKnown: pattern.kind === 'rename' && this.known(pattern.to, proposal),
          oldNameOrphaned: pattern.kind === 'rename' && !oldDeclared,
        };
      }
      case 'argument':
      case 'parameter': {
        if (!this.looksComplete(pattern.tail, proposal)) return undefined;
        // `plan(3)` -> `plan(4)` once says nothing about the other `plan(3)` calls.
        if (pattern.action === 'change' && isLiteral(pattern.oldKey) && isLiteral(pattern.text) && prior === 0) return undefined;
        // A changed call reaches other files only through an imported callee; a changed
        // definition reaches its callers wherever they are.
        const crossFile = pattern.kind === 'parameter' || (!pattern.member && pattern.action !== 'change');
        const paths = crossFile ? [edit.path, ...this.relatedFiles(pattern.callee, pattern.kind === 'parameter', proposal)] : [edit.path];
        let text = pattern.text;
        if (pattern.kind === 'parameter') {
          if (pattern.action === 'change') return undefined;
          if (pattern.action === 'add') {
            // Only propagate what the user already passes at other call sites: a guessed
            // argument is worse than none.
            const passed = new Set(paths.flatMap((path) => {
              const source = proposal.signal.aborted ? undefined : proposal.load(path);
              return source ? updatedArgumentTexts(source, pattern) : [];
            }));
            if (passed.size !== 1) return undefined;
            text = [...passed][0]!;
          }
        }
        const verb = { add: `add argument \`${text}\` to`, remove: `remove argument \`${pattern.oldKey}\` from`, change: `change argument to \`${text}\` in` }[pattern.action];
        return { sites: this.collect(paths, (source) => argumentSites(source, pattern, text), proposal), description: `${verb} calls of \`${pattern.callee}\`` };
      }
      case 'replace': {
        if (!this.looksComplete(pattern.tail, proposal) || (pattern.literalOnly && prior === 0)) return undefined;
        const what = pattern.quoteSwap ? 'quotes' : `\`${pattern.removed.join(' ') || '∅'}\``;
        return { sites: local((source) => replaceSites(source, pattern)), description: `replace ${what} → \`${pattern.insertedText}\` where the neighbouring tokens match` };
      }
      case 'insertLines': {
        const last = new SourceText(edit.path, pattern.lines.join('\n')).tokens.at(-1);
        if (!this.looksComplete(last, proposal)) return undefined;
        return { sites: local((source) => insertLineSites(source, pattern)), description: `insert \`${pattern.lines[0]!.trim()}\` next to similar lines` };
      }
      case 'deleteLines':
        return { sites: local((source) => deleteLineSites(source, pattern)), description: `delete lines like \`${pattern.lines[0]!.trim()}\`` };
      case 'commentWord': {
        const typed: Token = { kind: 'identifier', text: pattern.to, start: proposal.view.insertedEnd - pattern.to.length, end: proposal.view.insertedEnd };
        if (!this.looksComplete(typed, proposal)) return undefined;
        return { sites: local((source) => commentWordSites(source, pattern)), description: `replace \`${pattern.from}\` → \`${pattern.to}\` in comments` };
      }
    }
  }

  /** Sites per file, dropping the text the user just typed and anything beyond the budgets. */
  private collect(paths: readonly string[], find: (source: SourceText) => Site[], proposal: Proposal): Map<string, Site[]> {
    const sites = new Map<string, Site[]>();
    for (const path of paths) {
      if (proposal.signal.aborted) break;
      const source = proposal.load(path);
      if (source) sites.set(path, find(source));
    }
    return sites;
  }

  private suggestion(pattern: Pattern, prior: number, outcome: Outcome, proposal: Proposal): Suggestion | undefined {
    const { cursor, edit, view } = proposal;
    const ordered: { path: string; source: SourceText; site: Site }[] = [];
    const paths = [...outcome.sites.keys()].sort((a, b) => rankPath(a) - rankPath(b) || (a < b ? -1 : 1));
    function rankPath(path: string): number {
      return path === cursor.path ? 0 : path === edit.path ? 1 : 2;
    }
    for (const path of paths) {
      const source = proposal.load(path);
      if (!source) continue;
      const raw = outcome.sites.get(path) ?? [];
      const fresh = path === edit.path ? raw.filter((site) => !overlaps(site, view.insertedStart, view.insertedEnd)) : raw;
      const merged = mergeAdjacent(source, fresh, path === edit.path ? { start: view.insertedStart, end: view.insertedEnd } : undefined).filter((site) => source.text.slice(site.start, site.end) !== site.text);
      const anchor = path === cursor.path ? source.offsetAt(cursor.position) : 0;
      const after = merged.filter((site) => site.start >= anchor).sort((a, b) => a.start - b.start);
      const before = merged.filter((site) => site.start < anchor).sort((a, b) => b.start - a.start);
      for (const site of [...after, ...before]) ordered.push({ path, source, site });
    }
    const chosen = ordered.slice(0, this.maxSites);
    if (chosen.length === 0) return undefined;
    const cursorLine = cursor.position.line;
    const edits: ScoredEdit[] = chosen.map(({ path, source, site }) => {
      const start = source.positionAt(site.start);
      const features: PropagationFeatures = {
        kind: pattern.kind,
        priorApplications: prior,
        contextStrength: site.strength,
        distanceLines: path === cursor.path ? start.line - cursorLine : 0,
        sameFile: path === cursor.path || (path === edit.path && cursor.path !== edit.path),
        targetKnown: outcome.targetKnown ?? false,
        oldNameOrphaned: outcome.oldNameOrphaned ?? false,
        siteCount: chosen.length,
      };
      return { path, range: { start, end: source.positionAt(site.end) }, text: site.text, score: propagationConfidence(features), source: 'propagation' };
    });
    const score = edits[0]!.score;
    return {
      id: `propagation-${pattern.kind}-${hashEdits(edits)}`,
      edits,
      score,
      source: 'propagation',
      explanation: { followsFrom: edit.newest, pattern: outcome.description, snippets: [], confidence: score, stageTimingsMs: {} },
    };
  }

  /**
   * Whether the typed name is finished. A name still being typed (`tot` on the way to `total`)
   * must not be copied everywhere, so a name under the cursor counts only once it is known
   * elsewhere, or once the user paused for typingPauseMs.
   */
  private looksComplete(tail: Token | undefined, proposal: Proposal): boolean {
    if (!tail) return true;
    const { cursor, edit, view, document } = proposal;
    const offset = document.offsetAt(cursor.position);
    if (cursor.path !== edit.path || offset < view.insertedStart || offset > view.insertedEnd) return true;
    if (this.typingPauseMs === 0) return true;
    // `evicted = ` at the end of a line is an expression still being written.
    const restOfLine = document.text.slice(offset, document.lineEnd(document.lineOf(offset))).trim();
    if (tail.kind === 'punctuation' && DANGLING.test(tail.text) && restOfLine === '') return false;
    if (tail.kind !== 'identifier' || isKeyword(tail.text)) return true;
    // `helpOp` while `helpOption` exists is most likely on its way there, pause or not; that
    // includes retyping the very name being replaced.
    if (this.extendsKnownName(tail.text, proposal)) return false;
    // Without a clock no pause is ever seen: only a known name counts as finished then.
    const pausedMs = this.clock ? this.clock() - edit.timestampMs : undefined;
    if (pausedMs !== undefined && pausedMs >= this.typingPauseMs) return true;
    if (this.known(tail.text, proposal)) return true;
    // Only the pause can finish this name now.
    if (pausedMs !== undefined) proposal.retryAfterMs = Math.min(proposal.retryAfterMs ?? Infinity, this.typingPauseMs - pausedMs);
    return false;
  }

  /**
   * Some other name starts with `prefix` and is longer: in the document, or anywhere in the
   * workspace index (`TimerH` on its way to rxjs's `TimerHandle`, declared in another file).
   */
  private extendsKnownName(prefix: string, proposal: Proposal): boolean {
    const { document, view } = proposal;
    const inDocument = document.tokens.some(
      (token) =>
        token.kind === 'identifier' &&
        token.text.length > prefix.length &&
        token.text.startsWith(prefix) &&
        untouched(token.start, token.end, view),
    );
    return inDocument || (this.index?.namesStartingWith(prefix, 1).length ?? 0) > 0;
  }

  /** The name occurs outside the text just typed, in the document or in the index. */
  private known(name: string, proposal: Proposal): boolean {
    const { document, view, edit } = proposal;
    if (document.tokens.some((token) => token.text === name && token.kind === 'identifier' && untouched(token.start, token.end, view))) return true;
    const index = this.index;
    if (!index) return false;
    const elsewhere = (path: string, position: Position): boolean => {
      const start = document.offsetAt(position);
      return path !== edit.path || untouched(start, start + name.length, view);
    };
    return index.definitions(name).some((definition) => elsewhere(definition.path, definition.position)) ||
      index.occurrences(name, MAX_INDEX_OCCURRENCES).some((occurrence) => elsewhere(occurrence.path, occurrence.position));
  }

  /** A declaration of the name survives in the edited document or, outside the edit, the index. */
  private declared(name: string, proposal: Proposal): boolean {
    const { document, view, edit } = proposal;
    const tokens = document.tokens;
    if (tokens.some((token, index) => token.text === name && untouched(token.start, token.end, view) && DECLARATION_WORDS.has(tokens[index - 1]?.text ?? ''))) return true;
    return (this.index?.definitions(name) ?? []).some((definition) => {
      const start = document.offsetAt(definition.position);
      return definition.path !== edit.path || untouched(start, start + name.length, view);
    });
  }

  private enclosingFunction(proposal: Proposal): LineSpan | undefined {
    const scope = this.index?.enclosingScope(proposal.edit.path, proposal.edit.range.start);
    return scope && (scope.kind === 'function' || scope.kind === 'method') ? scope : undefined;
  }

  private inClassBody(proposal: Proposal): boolean {
    const scope = this.index?.enclosingScope(proposal.edit.path, proposal.edit.range.start);
    return scope?.kind === 'class' || scope?.kind === 'interface';
  }

  /**
   * Other files where the name means the same thing: they import it, or (for members) use
   * `.name`, or define it when the edited file imports it. Capped at maxFiles.
   */
  private relatedFiles(name: string, members: boolean, proposal: Proposal): string[] {
    const index = this.index;
    if (!index || proposal.signal.aborted) return [];
    const editedImports = index.imports(proposal.edit.path).some((binding) => binding.names.includes(name));
    const definedIn = new Set(index.definitions(name).map((definition) => definition.path));
    const candidates = new Set(index.occurrences(name, MAX_INDEX_OCCURRENCES).map((occurrence) => occurrence.path));
    const related: string[] = [];
    for (const path of [...candidates].sort()) {
      if (related.length >= this.maxFiles || proposal.signal.aborted) break;
      if (path === proposal.edit.path) continue;
      const imports = index.imports(path).some((binding) => binding.names.includes(name));
      const memberUse = members && name.length >= 4 && !COMMON_MEMBER_NAMES.has(name);
      if (imports || memberUse || (editedImports && definedIn.has(path))) related.push(path);
    }
    return related;
  }
}

/** How many earlier edits (before the merged newest change) made the same change. */
function priorApplications(history: readonly RecordedEdit[], mergedCount: number): Map<string, number> {
  const counts = new Map<string, number>();
  const end = history.length - mergedCount;
  for (const edit of history.slice(Math.max(0, end - MAX_PRIOR_EDITS_COMPARED), Math.max(0, end))) {
    for (const key of new Set(derivePatterns(hunkView(edit)).map(patternKey))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A span of the document that the text just typed neither overlaps nor adjoins. */
function untouched(start: number, end: number, view: EditView): boolean {
  return end < view.insertedStart || start > view.insertedEnd;
}

function isLiteral(key: string): boolean {
  return /^(?:-?\d[\w.]*|'[^']*'|"[^"]*")$/.test(key);
}


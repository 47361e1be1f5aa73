// The "Explain Next Edit" text: what the suggestion changes, why, from which context, how sure the
// engine is and where the time went. Pure, so it is tested without an editor.

import type { Explanation, Hunk, RecordedEdit, ScoredEdit, Snippet, SnippetReason, Suggestion } from '../core/types';

/** Builds a link target for a workspace file and 0-based line (a file URI with a #L fragment). */
export type LocationLink = (path: string, line: number) => string;

export const MAX_EXPLAINED_EDITS = 20;
export const MAX_EXPLAINED_SNIPPETS = 10;
export const MAX_SNIPPET_PREVIEW_LINES = 12;

export interface NoSuggestionInfo {
  readonly reason: string;
  readonly latencyMs?: number;
}

export function explainSuggestion(suggestion: Suggestion, explanation: Explanation, link: LocationLink, readLine: (edit: ScoredEdit) => string | undefined): string {
  const lines: string[] = ['# Ripple: next edit', ''];
  const files = new Set(suggestion.edits.map((edit) => edit.path));
  lines.push(
    `**Confidence:** ${percent(explanation.confidence)} · **Source:** ${suggestion.source} · **Edits:** ${suggestion.edits.length} in ${files.size} file${files.size === 1 ? '' : 's'}`,
    '',
  );
  lines.push('## Suggested edits', '');
  for (const edit of suggestion.edits.slice(0, MAX_EXPLAINED_EDITS)) {
    lines.push(`[${edit.path}:${edit.range.start.line + 1}](${link(edit.path, edit.range.start.line)}) (score ${percent(edit.score)})`, '');
    lines.push(...fence('diff', editDiff(edit, readLine(edit))), '');
  }
  if (suggestion.edits.length > MAX_EXPLAINED_EDITS) {
    lines.push(`…and ${suggestion.edits.length - MAX_EXPLAINED_EDITS} more edits.`, '');
  }
  lines.push('## Why', '');
  if (explanation.pattern) lines.push(`**Pattern:** ${explanation.pattern}`, '');
  if (explanation.followsFrom) {
    lines.push(`**Follows from your edit** at [${explanation.followsFrom.path}:${explanation.followsFrom.hunk.startLine + 1}](${link(explanation.followsFrom.path, explanation.followsFrom.hunk.startLine)}):`, '');
    lines.push(...fence('diff', hunkDiff(explanation.followsFrom.hunk, explanation.followsFrom)), '');
  }
  if (!explanation.pattern && !explanation.followsFrom) lines.push('No single recent edit explains this suggestion; it comes from the surrounding code.', '');
  lines.push('## Context used', '');
  if (explanation.snippets.length === 0) lines.push('No snippets were retrieved.', '');
  for (const snippet of explanation.snippets.slice(0, MAX_EXPLAINED_SNIPPETS)) {
    lines.push(
      `- [${snippet.path}:${snippet.startLine + 1}-${snippet.endLine}](${link(snippet.path, snippet.startLine)}): ${describeReason(snippet.reason)} (score ${snippet.score.toFixed(2)})`,
    );
    lines.push('', ...fence('', previewLines(snippet)).map((line) => `  ${line}`), '');
  }
  lines.push('## Time per stage', '', '| stage | ms |', '| --- | ---: |');
  const stages = Object.entries(explanation.stageTimingsMs);
  for (const [stage, milliseconds] of stages) lines.push(`| ${stage} | ${milliseconds.toFixed(1)} |`);
  const total = stages.reduce((sum, [, milliseconds]) => sum + milliseconds, 0);
  lines.push(`| **total** | **${total.toFixed(1)}** |`, '');
  return lines.join('\n');
}

export function explainNothing(info: NoSuggestionInfo): string {
  const latency = info.latencyMs === undefined ? '' : ` (after ${info.latencyMs.toFixed(0)} ms)`;
  return ['# Ripple: next edit', '', `No suggestion right now: ${info.reason}${latency}.`, '', 'Make an edit and run **Ripple: Explain Next Edit** again while a suggestion is showing.', ''].join('\n');
}

/** A unified-diff view of one edit: the affected line before and after. */
export function editDiff(edit: ScoredEdit, lineText: string | undefined): string[] {
  if (lineText === undefined || edit.range.start.line !== edit.range.end.line) {
    return [`@@ line ${edit.range.start.line + 1} @@`, ...prefixLines('+', edit.text)];
  }
  const before = lineText;
  const after = before.slice(0, edit.range.start.character) + edit.text + before.slice(edit.range.end.character);
  return [`@@ line ${edit.range.start.line + 1} @@`, ...prefixLines('-', before), ...prefixLines('+', after)];
}

function hunkDiff(hunk: Hunk, edit: RecordedEdit): string[] {
  const header = `@@ ${edit.path} @@`;
  return [header, ...(hunk.beforeText === '' ? [] : prefixLines('-', hunk.beforeText)), ...(hunk.afterText === '' ? [] : prefixLines('+', hunk.afterText))];
}

function describeReason(reason: SnippetReason): string {
  switch (reason.kind) {
    case 'definition':
      return `definition of \`${reason.symbol}\``;
    case 'usage':
      return `usage of \`${reason.symbol}\``;
    case 'similar':
      return `similar code (${percent(reason.similarity)})`;
    case 'import':
      return `imported module \`${reason.module}\``;
  }
}

function previewLines(snippet: Snippet): string[] {
  const lines = snippet.text.split('\n');
  if (lines.length <= MAX_SNIPPET_PREVIEW_LINES) return lines;
  return [...lines.slice(0, MAX_SNIPPET_PREVIEW_LINES), `… ${lines.length - MAX_SNIPPET_PREVIEW_LINES} more lines`];
}

function prefixLines(prefix: string, text: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}

/** A fenced block whose fence is longer than any backtick run inside, so code cannot end it. */
function fence(language: string, body: readonly string[]): string[] {
  const longest = Math.max(2, ...body.map((line) => Math.max(0, ...[...line.matchAll(/`+/g)].map((match) => match[0].length))));
  const marks = '`'.repeat(longest + 1);
  return [`${marks}${language}`, ...body, marks];
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

// What the suggestion cache must answer, worked out apart from it: a suggestion the engine stored,
// followed through each later change by the two rules that fix its edits exactly (typing the
// start of an insertion consumes it; a change clear of every edit moves them). Any subtler
// change makes the entry 'unknown': the cache may serve it, but the reference cannot say how.

/** A cached suggestion as the reference expects it now; edits in offsets of the current texts. */
export interface Tracked {
  state: 'exact' | 'unknown' | 'forgotten';
  anchor: { readonly path: string; offset: number };
  edits: { readonly path: string; readonly start: number; readonly end: number; readonly text: string }[];
}

/** Moves a tracked suggestion over one change, as the cache must; anything subtler makes it unknown. */
export function follow(tracked: Tracked, path: string, start: number, end: number, inserted: string): void {
  if (tracked.state !== 'exact') return;
  const delta = inserted.length - (end - start);
  let typedAtAnchor = false;
  const next: Tracked['edits'] = [];
  for (const edit of tracked.edits) {
    if (edit.path !== path) next.push(edit);
    else if (edit.start === edit.end && start === end && start === edit.start && inserted !== '') {
      if (!edit.text.startsWith(inserted)) return void (tracked.state = 'unknown');
      typedAtAnchor ||= tracked.anchor.path === path && tracked.anchor.offset === start;
      const rest = edit.text.slice(inserted.length);
      if (rest !== '') next.push({ ...edit, start: start + inserted.length, end: start + inserted.length, text: rest });
    } else if (end < edit.start) next.push({ ...edit, start: edit.start + delta, end: edit.end + delta });
    else if (start > edit.end) next.push(edit);
    else return void (tracked.state = 'unknown');
  }
  if (tracked.anchor.path === path) {
    const anchor = tracked.anchor.offset;
    if (typedAtAnchor) tracked.anchor.offset = start + inserted.length;
    else if (start <= anchor && anchor <= end) return void (tracked.state = 'unknown');
    else if (end < anchor) tracked.anchor.offset = anchor + delta;
  }
  tracked.edits = next;
  if (next.length === 0) tracked.state = 'forgotten';
}

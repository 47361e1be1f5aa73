// Several symbolic candidate sources asked as one: the engine's propagation stage runs them in
// order under the same stop check and pools what they propose.

import type { StopCheck } from './deadline';
import type { CandidateOutcome, CandidateRequest, CandidateSource } from './engine';
import type { Suggestion } from './types';

export function combineSources(sources: readonly CandidateSource[]): CandidateSource {
  if (sources.length === 0) throw new TypeError('combineSources needs at least one source');
  return {
    propose(request: CandidateRequest, signal: StopCheck): CandidateOutcome {
      const suggestions: Suggestion[] = [];
      let retryAfterMs: number | undefined;
      for (const source of sources) {
        // A stage that ran out of time stops here; what the earlier ones found still counts.
        if (signal.aborted) break;
        const outcome = source.propose(request, signal);
        suggestions.push(...outcome.suggestions);
        // The soonest retry: each source's held-back proposal may be ready by then.
        if (outcome.retryAfterMs !== undefined) retryAfterMs = Math.min(retryAfterMs ?? Infinity, outcome.retryAfterMs);
      }
      return { suggestions, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    },
  };
}

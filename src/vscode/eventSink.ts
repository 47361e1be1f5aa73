// Structured events about what the editor showed and did. The end-to-end tests read them from a
// JSON-lines file named by RIPPLE_EVENT_LOG; without that variable nothing is written anywhere.

import { appendFile } from 'node:fs';

export interface EventSink {
  emit(event: string, data?: Readonly<Record<string, unknown>>): void;
}

export const EVENT_LOG_ENVIRONMENT_VARIABLE = 'RIPPLE_EVENT_LOG';

export const silentEvents: EventSink = { emit: () => undefined };

/** Appends one JSON object per event; writes are fire-and-forget so the editor never waits on disk. */
export class FileEventSink implements EventSink {
  constructor(
    private readonly filePath: string,
    private readonly now: () => number = Date.now,
  ) {
    if (typeof filePath !== 'string' || filePath === '') throw new TypeError('filePath must be a non-empty string');
  }

  emit(event: string, data: Readonly<Record<string, unknown>> = {}): void {
    const line = `${JSON.stringify({ event, t: this.now(), ...data })}\n`;
    appendFile(this.filePath, line, () => undefined);
  }
}

export function eventSinkFromEnvironment(environment: Readonly<Record<string, string | undefined>>): EventSink {
  const filePath = environment[EVENT_LOG_ENVIRONMENT_VARIABLE];
  return filePath ? new FileEventSink(filePath) : silentEvents;
}

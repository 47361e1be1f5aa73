// Ripple's settings, validated. Bad values never crash anything: each becomes a problem line (shown
// once, together) and the default or the nearest allowed value is used instead.

export type Eagerness = 'low' | 'medium' | 'high';

export interface RippleSettings {
  readonly enable: boolean;
  readonly eagerness: Eagerness;
  /** Minimum suggestion confidence derived from eagerness, in [0, 1]. */
  readonly minConfidence: number;
  readonly debounceMs: number;
  readonly latencyBudgetMs: number;
  readonly maxIndexedFiles: number;
  /** Whether the local model runs at all; off leaves the symbolic engine alone (less CPU and memory). */
  readonly useModel: boolean;
  /** Absolute model folder from user (machine) settings only; undefined means the bundled model. */
  readonly modelPath: string | undefined;
}

export interface ParsedSettings {
  readonly settings: RippleSettings;
  /** One human-readable line per bad setting; empty when all are fine. */
  readonly problems: readonly string[];
}

/** What the parser needs from VS Code's WorkspaceConfiguration (get and inspect). */
export interface SettingsSource {
  get(key: string): unknown;
  /** The user-level value of a machine-scoped setting, ignoring workspace values on purpose. */
  globalValue(key: string): unknown;
}

export const SETTINGS_SECTION = 'ripple';
export const MIN_CONFIDENCE_BY_EAGERNESS: Readonly<Record<Eagerness, number>> = { low: 0.7, medium: 0.45, high: 0.2 };
export const DEFAULT_DEBOUNCE_MS = 75;
export const MAX_DEBOUNCE_SETTING_MS = 2_000;
export const DEFAULT_LATENCY_BUDGET_MS = 300;
export const MIN_LATENCY_BUDGET_MS = 20;
/** The hard budget of the product: a slower prediction is one the user has typed past. */
export const MAX_LATENCY_BUDGET_MS = 300;
export const DEFAULT_MAX_INDEXED_FILES = 5_000;
export const MAX_INDEXED_FILES_LIMIT = 100_000;

export const DEFAULT_SETTINGS: RippleSettings = {
  enable: true,
  eagerness: 'medium',
  minConfidence: MIN_CONFIDENCE_BY_EAGERNESS.medium,
  debounceMs: DEFAULT_DEBOUNCE_MS,
  latencyBudgetMs: DEFAULT_LATENCY_BUDGET_MS,
  maxIndexedFiles: DEFAULT_MAX_INDEXED_FILES,
  useModel: true,
  modelPath: undefined,
};

export function parseSettings(source: SettingsSource): ParsedSettings {
  const problems: string[] = [];
  const enable = readBoolean(source.get('enable'), 'enable', DEFAULT_SETTINGS.enable, problems);
  const eagerness = readEagerness(source.get('eagerness'), problems);
  const debounceMs = readNumber(source.get('debounceMs'), 'debounceMs', {
    fallback: DEFAULT_DEBOUNCE_MS,
    min: 0,
    max: MAX_DEBOUNCE_SETTING_MS,
    integer: true,
    problems,
  });
  const latencyBudgetMs = readNumber(source.get('latencyBudgetMs'), 'latencyBudgetMs', {
    fallback: DEFAULT_LATENCY_BUDGET_MS,
    min: MIN_LATENCY_BUDGET_MS,
    max: MAX_LATENCY_BUDGET_MS,
    integer: true,
    problems,
  });
  const maxIndexedFiles = readNumber(source.get('index.maxFiles'), 'index.maxFiles', {
    fallback: DEFAULT_MAX_INDEXED_FILES,
    min: 1,
    max: MAX_INDEXED_FILES_LIMIT,
    integer: true,
    problems,
  });
  const useModel = readBoolean(source.get('model.enable'), 'model.enable', DEFAULT_SETTINGS.useModel, problems);
  const modelPath = readModelPath(source.globalValue('modelPath'), problems);
  return {
    settings: {
      enable,
      eagerness,
      minConfidence: MIN_CONFIDENCE_BY_EAGERNESS[eagerness],
      debounceMs,
      latencyBudgetMs,
      maxIndexedFiles,
      useModel,
      modelPath,
    },
    problems,
  };
}

function readBoolean(value: unknown, key: string, fallback: boolean, problems: string[]): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  problems.push(`ripple.${key} must be true or false (got ${describe(value)}); using ${String(fallback)}.`);
  return fallback;
}

function readEagerness(value: unknown, problems: string[]): Eagerness {
  if (value === undefined) return DEFAULT_SETTINGS.eagerness;
  if (value === 'low' || value === 'medium' || value === 'high') return value;
  problems.push(`ripple.eagerness must be "low", "medium" or "high" (got ${describe(value)}); using "medium".`);
  return DEFAULT_SETTINGS.eagerness;
}

interface NumberRule {
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly problems: string[];
}

function readNumber(value: unknown, key: string, rule: NumberRule): number {
  if (value === undefined) return rule.fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    rule.problems.push(`ripple.${key} must be a number (got ${describe(value)}); using ${rule.fallback}.`);
    return rule.fallback;
  }
  const rounded = rule.integer ? Math.round(value) : value;
  const clamped = Math.min(rule.max, Math.max(rule.min, rounded));
  if (clamped !== value) {
    rule.problems.push(`ripple.${key} must be between ${rule.min} and ${rule.max} (got ${value}); using ${clamped}.`);
  }
  return clamped;
}

function readModelPath(value: unknown, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(`ripple.modelPath must be a folder path (got ${describe(value)}); using the bundled model.`);
    return undefined;
  }
  // A relative path would resolve against whatever folder the editor happened to start in.
  if (!value.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(value) && !value.startsWith('\\\\')) {
    problems.push(`ripple.modelPath must be an absolute path (got "${value}"); using the bundled model.`);
    return undefined;
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, MAX_LATENCY_BUDGET_MS, parseSettings, type SettingsSource } from '../../../src/vscode/settings';

function source(values: Record<string, unknown>, globalValues: Record<string, unknown> = {}): SettingsSource {
  return { get: (key) => values[key], globalValue: (key) => globalValues[key] };
}

describe('parseSettings', () => {
  it('uses the defaults when nothing is set', () => {
    expect(parseSettings(source({}))).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('maps eagerness to a minimum confidence', () => {
    const low = parseSettings(source({ eagerness: 'low' })).settings.minConfidence;
    const high = parseSettings(source({ eagerness: 'high' })).settings.minConfidence;
    expect(low).toBeGreaterThan(DEFAULT_SETTINGS.minConfidence);
    expect(high).toBeLessThan(DEFAULT_SETTINGS.minConfidence);
  });

  it('clamps the latency budget to the hard limit and says so', () => {
    const { settings, problems } = parseSettings(source({ latencyBudgetMs: 5_000 }));
    expect(settings.latencyBudgetMs).toBe(MAX_LATENCY_BUDGET_MS);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('ripple.latencyBudgetMs');
  });

  it('replaces values of the wrong type by defaults, one problem each', () => {
    const { settings, problems } = parseSettings(source({ enable: 'yes', eagerness: 'extreme', debounceMs: 'fast', 'index.maxFiles': 12.6 }));
    expect(settings.enable).toBe(true);
    expect(settings.eagerness).toBe('medium');
    expect(settings.debounceMs).toBe(DEFAULT_SETTINGS.debounceMs);
    expect(settings.maxIndexedFiles).toBe(13);
    expect(problems).toHaveLength(4);
  });

  it('turns the model off only for a boolean false, and names a bad value', () => {
    expect(parseSettings(source({ 'model.enable': false })).settings.useModel).toBe(false);
    const bad = parseSettings(source({ 'model.enable': 'off' }));
    expect(bad.settings.useModel).toBe(true);
    expect(bad.problems).toEqual(['ripple.model.enable must be true or false (got "off"); using true.']);
  });

  it('reads the model path from user settings only, and only when absolute', () => {
    expect(parseSettings(source({ modelPath: '/evil/model' }, {})).settings.modelPath).toBeUndefined();
    expect(parseSettings(source({}, { modelPath: '/opt/models/ripple' })).settings.modelPath).toBe('/opt/models/ripple');
    const relative = parseSettings(source({}, { modelPath: 'models/ripple' }));
    expect(relative.settings.modelPath).toBeUndefined();
    expect(relative.problems[0]).toContain('absolute');
  });
});

// Loads web-tree-sitter and the per-language grammar .wasm files, lazily and at most once each.
// A grammar that fails to load is logged once and then treated as unsupported, so one broken
// file in dist/grammars/ costs syntax facts for one language, never the extension.

import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { Logger } from '../core/ports';
import { optionalNonEmptyString } from '../core/validation';

export type LanguageId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust';

export const LANGUAGE_IDS: readonly LanguageId[] = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust'];

interface GrammarFile {
  /** npm package that ships the .wasm, used when no wasmDirectory is given. */
  readonly packageName: string;
  readonly fileName: string;
}

const GRAMMAR_FILES: Readonly<Record<LanguageId, GrammarFile>> = {
  typescript: { packageName: 'tree-sitter-typescript', fileName: 'tree-sitter-typescript.wasm' },
  tsx: { packageName: 'tree-sitter-typescript', fileName: 'tree-sitter-tsx.wasm' },
  javascript: { packageName: 'tree-sitter-javascript', fileName: 'tree-sitter-javascript.wasm' },
  python: { packageName: 'tree-sitter-python', fileName: 'tree-sitter-python.wasm' },
  go: { packageName: 'tree-sitter-go', fileName: 'tree-sitter-go.wasm' },
  rust: { packageName: 'tree-sitter-rust', fileName: 'tree-sitter-rust.wasm' },
};

const LANGUAGE_BY_EXTENSION: ReadonlyMap<string, LanguageId> = new Map([
  ['.ts', 'typescript'],
  ['.mts', 'typescript'],
  ['.cts', 'typescript'],
  ['.tsx', 'tsx'],
  ['.js', 'javascript'],
  ['.mjs', 'javascript'],
  ['.cjs', 'javascript'],
  ['.jsx', 'javascript'],
  ['.py', 'python'],
  ['.go', 'go'],
  ['.rs', 'rust'],
]);

/** The language of a file by its extension, or undefined when no grammar covers it. */
export function languageForPath(path: string): LanguageId | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return LANGUAGE_BY_EXTENSION.get(path.slice(dot).toLowerCase());
}

/** The grammar file name for a language, for build scripts that copy grammars into dist/. */
export function grammarFileName(language: LanguageId): string {
  return GRAMMAR_FILES[language].fileName;
}

export interface GrammarsOptions {
  readonly logger: Logger;
  /** Folder holding every grammar .wasm by its published file name (dist/grammars/ when packaged). */
  readonly wasmDirectory?: string;
  /** Resolves a grammar file per language; wins over wasmDirectory. */
  readonly resolveWasmPath?: (language: LanguageId, fileName: string) => string;
  /** Path of web-tree-sitter's own runtime .wasm, when it does not sit next to its JS file. */
  readonly runtimeWasmPath?: string;
}

export class Grammars {
  private readonly logger: Logger;
  private readonly resolveWasmPath: (language: LanguageId, fileName: string) => string;
  private readonly runtimeWasmPath: string | undefined;
  private runtime: Promise<boolean> | undefined;
  private readonly languages = new Map<LanguageId, Promise<Language | undefined>>();
  private readonly parsers = new Map<LanguageId, Parser>();

  constructor(options: GrammarsOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('Grammars options must be an object');
    if (!options.logger || typeof options.logger.warn !== 'function') {
      throw new TypeError('Grammars options.logger must be a Logger');
    }
    optionalNonEmptyString('Grammars options.wasmDirectory', options.wasmDirectory);
    optionalNonEmptyString('Grammars options.runtimeWasmPath', options.runtimeWasmPath);
    if (options.resolveWasmPath !== undefined && typeof options.resolveWasmPath !== 'function') {
      throw new TypeError('Grammars options.resolveWasmPath must be a function');
    }
    this.logger = options.logger;
    this.runtimeWasmPath = options.runtimeWasmPath;
    const directory = options.wasmDirectory;
    this.resolveWasmPath =
      options.resolveWasmPath ??
      (directory !== undefined
        ? (_language, fileName) => nodePath.join(directory, fileName)
        : (language, fileName) => packageWasmPath(GRAMMAR_FILES[language].packageName, fileName));
  }

  /**
   * A parser for the language, loading its grammar on first use. Resolves to undefined when the
   * grammar cannot be loaded; never rejects. Parsers are shared: use them synchronously.
   */
  async parser(language: LanguageId): Promise<Parser | undefined> {
    const existing = this.parsers.get(language);
    if (existing) return existing;
    const loaded = await this.language(language);
    if (!loaded) return undefined;
    // Another caller may have created it while this one awaited.
    const raced = this.parsers.get(language);
    if (raced) return raced;
    const parser = new Parser();
    parser.setLanguage(loaded);
    this.parsers.set(language, parser);
    return parser;
  }

  /** The loaded grammar, or undefined when it failed to load (logged once). */
  language(language: LanguageId): Promise<Language | undefined> {
    let pending = this.languages.get(language);
    if (!pending) {
      pending = this.load(language);
      this.languages.set(language, pending);
    }
    return pending;
  }

  dispose(): void {
    for (const parser of this.parsers.values()) parser.delete();
    this.parsers.clear();
  }

  private async load(language: LanguageId): Promise<Language | undefined> {
    if (!(await this.initRuntime())) return undefined;
    let wasmPath = '(unresolved)';
    try {
      wasmPath = this.resolveWasmPath(language, GRAMMAR_FILES[language].fileName);
      return await Language.load(wasmPath);
    } catch (error) {
      this.logger.warn(`Grammar for ${language} failed to load from ${wasmPath}; ${language} files get no syntax facts: ${describe(error)}`);
      return undefined;
    }
  }

  private initRuntime(): Promise<boolean> {
    this.runtime ??= (async () => {
      // Emscripten prints its own lines when the runtime cannot start; the rejection carries the
      // same reason, so the failure is logged once below. Later messages print as they would.
      let starting = true;
      const printErr = (message: string): void => {
        if (!starting) console.error(message);
      };
      try {
        const runtimeWasmPath = this.runtimeWasmPath;
        await Parser.init({ printErr, ...(runtimeWasmPath ? { locateFile: () => runtimeWasmPath } : {}) });
        return true;
      } catch (error) {
        this.logger.warn(`Tree-sitter runtime failed to load; no file gets syntax facts: ${describe(error)}`);
        return false;
      } finally {
        starting = false;
      }
    })();
    return this.runtime;
  }
}

function packageWasmPath(packageName: string, fileName: string): string {
  const packageDirectory = nodePath.dirname(require.resolve(`${packageName}/package.json`));
  const wasmPath = nodePath.join(packageDirectory, fileName);
  if (!existsSync(wasmPath)) throw new Error(`${fileName} is missing from ${packageDirectory}`);
  return wasmPath;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// What each grammar's node types mean: which nodes declare symbols, open scopes, import modules
// or are identifiers. Node type names come from the grammar packages' node-types.json and change
// when a grammar is upgraded, so every grammar-specific string lives here and nowhere else.
// A rule may look at a node, its descendants and its ancestors, never at its siblings or at other
// top-level declarations: re-indexing after an edit keeps the facts of the untouched top-level
// declarations (syntaxFacts.ts), which is only right while facts depend on nothing outside them.

import type { Node } from 'web-tree-sitter';
import type { SymbolKind } from '../core/ports';
import type { LanguageId } from './grammars';

export interface DeclarationFact {
  readonly kind: SymbolKind;
  /** The identifiers the declaration binds (several for `const { a, b } = ...`). */
  readonly nameNodes: readonly Node[];
  /** The node whose line span is the whole declaration, export keyword and decorators included. */
  readonly spanNode: Node;
}

export interface ScopeFact {
  readonly kind: SymbolKind;
  readonly name?: string;
}

export interface ImportFact {
  readonly module: string;
  readonly names: readonly string[];
}

export interface SyntaxRules {
  /** Node types whose text is an identifier occurrence. */
  readonly identifierTypes: ReadonlySet<string>;
  /** Node types worth materializing a Node for; everything else is only walked over. */
  readonly interestingTypes: ReadonlySet<string>;
  declarations(node: Node): DeclarationFact[];
  scope(node: Node): ScopeFact | undefined;
  imports(node: Node): ImportFact[];
}

type KindRule = SymbolKind | ((node: Node) => SymbolKind);

interface DeclarationRule {
  readonly kind: KindRule;
  readonly names: (node: Node) => Node[];
}

interface LanguageTable {
  readonly identifierTypes: readonly string[];
  readonly declarations: Readonly<Record<string, DeclarationRule>>;
  /** Node types that open a scope; a name comes from the node itself or from what it is assigned to. */
  readonly scopes: Readonly<Record<string, KindRule>>;
  readonly imports: Readonly<Record<string, (node: Node) => ImportFact[]>>;
}

// Wrappers whose line span belongs to the declaration inside them.
const SPAN_WRAPPERS = new Set([
  'export_statement',
  'decorated_definition',
  'lexical_declaration',
  'variable_declaration',
  'ambient_declaration',
]);
const NON_BINDING_PATTERNS = new Set(['attribute', 'subscript', 'member_expression', 'call', 'call_expression', 'field_expression']);
const BINDING_LEAVES = new Set(['identifier', 'shorthand_property_identifier_pattern', 'shorthand_field_identifier']);

function field(name: string): (node: Node) => Node[] {
  return (node) => {
    const child = node.childForFieldName(name);
    return child ? [child] : [];
  };
}

function fields(name: string): (node: Node) => Node[] {
  return (node) => node.childrenForFieldName(name);
}

/** Identifiers bound by a destructuring pattern; keys, types and default values bind nothing. */
function bindings(node: Node | null): Node[] {
  if (!node || NON_BINDING_PATTERNS.has(node.type)) return [];
  if (BINDING_LEAVES.has(node.type)) return [node];
  if (node.type === 'pair_pattern') return bindings(node.childForFieldName('value'));
  if (node.type === 'assignment_pattern' || node.type === 'object_assignment_pattern') return bindings(node.childForFieldName('left'));
  const found: Node[] = [];
  for (let index = 0; index < node.namedChildCount; index++) {
    const fieldName = node.fieldNameForNamedChild(index);
    if (fieldName === 'type' || fieldName === 'key' || fieldName === 'value' || fieldName === 'right') continue;
    found.push(...bindings(node.namedChild(index)));
  }
  return found;
}

function bindingsOf(fieldName: string): (node: Node) => Node[] {
  return (node) => bindings(node.childForFieldName(fieldName));
}

function childrenBindings(node: Node): Node[] {
  return node.namedChildren.flatMap((child) => (child.type.endsWith('parameter') ? [] : bindings(child)));
}

function grandparentIs(node: Node, types: readonly string[]): boolean {
  const parent = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  return types.includes(parent?.parent?.type ?? '');
}

function unquote(node: Node | null): string {
  return node ? node.text.replace(/^['"`]|['"`]$/g, '') : '';
}

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

const ECMASCRIPT: LanguageTable = {
  identifierTypes: [
    'identifier',
    'property_identifier',
    'type_identifier',
    'shorthand_property_identifier',
    'shorthand_property_identifier_pattern',
    'private_property_identifier',
  ],
  declarations: {
    function_declaration: { kind: 'function', names: field('name') },
    generator_function_declaration: { kind: 'function', names: field('name') },
    function_signature: { kind: 'function', names: field('name') },
    method_definition: { kind: 'method', names: field('name') },
    method_signature: { kind: 'method', names: field('name') },
    abstract_method_signature: { kind: 'method', names: field('name') },
    class_declaration: { kind: 'class', names: field('name') },
    abstract_class_declaration: { kind: 'class', names: field('name') },
    interface_declaration: { kind: 'interface', names: field('name') },
    type_alias_declaration: { kind: 'type', names: field('name') },
    enum_declaration: { kind: 'enum', names: field('name') },
    internal_module: { kind: 'module', names: field('name') },
    variable_declarator: {
      kind: (node) => (FUNCTION_VALUES.has(node.childForFieldName('value')?.type ?? '') ? 'function' : 'variable'),
      names: bindingsOf('name'),
    },
    required_parameter: { kind: 'parameter', names: bindingsOf('pattern') },
    optional_parameter: { kind: 'parameter', names: bindingsOf('pattern') },
    formal_parameters: { kind: 'parameter', names: childrenBindings },
    public_field_definition: { kind: 'property', names: field('name') },
    field_definition: { kind: 'property', names: field('property') },
    property_signature: { kind: 'property', names: field('name') },
  },
  scopes: {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    function_expression: 'function',
    generator_function: 'function',
    function: 'function',
    arrow_function: 'function',
    method_definition: 'method',
    class_declaration: 'class',
    abstract_class_declaration: 'class',
    class: 'class',
    interface_declaration: 'interface',
    enum_declaration: 'enum',
    internal_module: 'module',
  },
  imports: {
    import_statement: (node) => {
      const names: string[] = [];
      for (const clause of node.namedChildren) {
        if (clause.type === 'import_clause' || clause.type === 'import_require_clause') {
          for (const part of clause.namedChildren) {
            if (part.type === 'identifier') names.push(part.text);
            else if (part.type === 'namespace_import') names.push(...part.namedChildren.map((child) => child.text));
            else if (part.type === 'named_imports') {
              for (const specifier of part.namedChildren) {
                const bound = specifier.childForFieldName('alias') ?? specifier.childForFieldName('name');
                if (bound) names.push(bound.text);
              }
            }
          }
        }
      }
      const source = node.childForFieldName('source') ?? node.descendantsOfType('import_require_clause')[0]?.childForFieldName('source') ?? null;
      return source ? [{ module: unquote(source), names }] : [];
    },
    export_statement: (node) => {
      const source = node.childForFieldName('source');
      return source ? [{ module: unquote(source), names: [] }] : [];
    },
    call_expression: (node) => {
      const callee = node.childForFieldName('function');
      if (callee?.text !== 'require' && callee?.type !== 'import') return [];
      const argument = node.childForFieldName('arguments')?.namedChild(0);
      if (!argument || argument.type !== 'string') return [];
      const declarator = node.parent?.type === 'variable_declarator' ? node.parent : undefined;
      const names = declarator ? bindings(declarator.childForFieldName('name')).map((name) => name.text) : [];
      return [{ module: unquote(argument), names }];
    },
  },
};

const PYTHON: LanguageTable = {
  identifierTypes: ['identifier'],
  declarations: {
    function_definition: {
      kind: (node) => (grandparentIs(node, ['class_definition']) ? 'method' : 'function'),
      names: field('name'),
    },
    class_definition: { kind: 'class', names: field('name') },
    assignment: {
      kind: 'variable',
      names: (node) => (node.parent?.type === 'expression_statement' ? bindings(node.childForFieldName('left')) : []),
    },
    parameters: { kind: 'parameter', names: pythonParameters },
    lambda_parameters: { kind: 'parameter', names: pythonParameters },
  },
  scopes: { function_definition: 'function', class_definition: 'class', lambda: 'function' },
  imports: {
    import_statement: (node) =>
      node.childrenForFieldName('name').map((name) =>
        name.type === 'aliased_import'
          ? { module: name.childForFieldName('name')?.text ?? '', names: [name.childForFieldName('alias')?.text ?? ''] }
          : { module: name.text, names: [name.text.split('.')[0] ?? name.text] },
      ),
    import_from_statement: (node) => {
      const module = node.childForFieldName('module_name')?.text ?? '';
      const names = node.childrenForFieldName('name').map((name) =>
        name.type === 'aliased_import' ? (name.childForFieldName('alias')?.text ?? '') : name.text,
      );
      if (node.namedChildren.some((child) => child.type === 'wildcard_import')) names.push('*');
      return [{ module, names }];
    },
  },
};

function pythonParameters(node: Node): Node[] {
  return node.namedChildren.flatMap((parameter) => {
    if (parameter.type === 'identifier') return [parameter];
    const named = parameter.childForFieldName('name');
    if (named) return [named];
    const first = parameter.namedChild(0);
    return first?.type === 'identifier' ? [first] : [];
  });
}

const GO: LanguageTable = {
  identifierTypes: ['identifier', 'field_identifier', 'type_identifier', 'package_identifier'],
  declarations: {
    function_declaration: { kind: 'function', names: field('name') },
    method_declaration: { kind: 'method', names: field('name') },
    method_elem: { kind: 'method', names: field('name') },
    method_spec: { kind: 'method', names: field('name') },
    type_spec: { kind: goTypeKind, names: field('name') },
    type_alias: { kind: 'type', names: field('name') },
    var_spec: { kind: 'variable', names: fields('name') },
    const_spec: { kind: 'variable', names: fields('name') },
    short_var_declaration: { kind: 'variable', names: (node) => node.childForFieldName('left')?.namedChildren ?? [] },
    parameter_declaration: { kind: 'parameter', names: fields('name') },
    variadic_parameter_declaration: { kind: 'parameter', names: fields('name') },
    field_declaration: { kind: 'property', names: fields('name') },
  },
  scopes: { function_declaration: 'function', method_declaration: 'method', func_literal: 'function', type_spec: goTypeKind },
  imports: {
    import_spec: (node) => {
      const module = unquote(node.childForFieldName('path'));
      const alias = node.childForFieldName('name')?.text;
      return [{ module, names: [alias ?? module.split('/').pop() ?? module] }];
    },
  },
};

function goTypeKind(node: Node): SymbolKind {
  const type = node.childForFieldName('type')?.type;
  return type === 'struct_type' ? 'class' : type === 'interface_type' ? 'interface' : 'type';
}

const RUST: LanguageTable = {
  identifierTypes: ['identifier', 'field_identifier', 'type_identifier', 'shorthand_field_identifier'],
  declarations: {
    function_item: {
      kind: (node) => (grandparentIs(node, ['impl_item', 'trait_item']) ? 'method' : 'function'),
      names: field('name'),
    },
    function_signature_item: { kind: 'method', names: field('name') },
    struct_item: { kind: 'class', names: field('name') },
    union_item: { kind: 'class', names: field('name') },
    enum_item: { kind: 'enum', names: field('name') },
    trait_item: { kind: 'interface', names: field('name') },
    type_item: { kind: 'type', names: field('name') },
    const_item: { kind: 'variable', names: field('name') },
    static_item: { kind: 'variable', names: field('name') },
    let_declaration: { kind: 'variable', names: bindingsOf('pattern') },
    parameter: { kind: 'parameter', names: bindingsOf('pattern') },
    field_declaration: { kind: 'property', names: field('name') },
    mod_item: { kind: 'module', names: field('name') },
    macro_definition: { kind: 'function', names: field('name') },
  },
  scopes: {
    function_item: (node) => (grandparentIs(node, ['impl_item', 'trait_item']) ? 'method' : 'function'),
    closure_expression: 'function',
    struct_item: 'class',
    enum_item: 'enum',
    trait_item: 'interface',
    impl_item: 'class',
    mod_item: 'module',
  },
  imports: {
    use_declaration: (node) => {
      const argument = node.childForFieldName('argument');
      if (!argument) return [];
      if (argument.type === 'scoped_identifier') {
        return [{ module: argument.childForFieldName('path')?.text ?? '', names: [argument.childForFieldName('name')?.text ?? ''] }];
      }
      const module = argument.type === 'scoped_use_list' ? (argument.childForFieldName('path')?.text ?? '') : '';
      return [{ module, names: rustUseNames(argument) }];
    },
  },
};

function rustUseNames(node: Node): string[] {
  switch (node.type) {
    case 'identifier':
    case 'self':
      return [node.text];
    case 'use_wildcard':
      return ['*'];
    case 'use_as_clause':
      return [node.childForFieldName('alias')?.text ?? ''];
    case 'scoped_identifier':
      return [node.childForFieldName('name')?.text ?? ''];
    case 'scoped_use_list':
      return node.childForFieldName('list') ? rustUseNames(node.childForFieldName('list') as Node) : [];
    default:
      return node.namedChildren.flatMap(rustUseNames);
  }
}

const TABLES: Readonly<Record<LanguageId, LanguageTable>> = {
  typescript: ECMASCRIPT,
  tsx: ECMASCRIPT,
  javascript: ECMASCRIPT,
  python: PYTHON,
  go: GO,
  rust: RUST,
};

const RULES = new Map<LanguageId, SyntaxRules>();

/** The syntax rules of a language; built once, shared, stateless. */
export function syntaxRules(language: LanguageId): SyntaxRules {
  let rules = RULES.get(language);
  if (!rules) {
    rules = compileRules(TABLES[language]);
    RULES.set(language, rules);
  }
  return rules;
}

function compileRules(table: LanguageTable): SyntaxRules {
  const resolveKind = (kind: KindRule, node: Node): SymbolKind => (typeof kind === 'function' ? kind(node) : kind);
  return {
    identifierTypes: new Set(table.identifierTypes),
    interestingTypes: new Set([...Object.keys(table.declarations), ...Object.keys(table.scopes), ...Object.keys(table.imports)]),
    declarations(node) {
      const rule = table.declarations[node.type];
      if (!rule) return [];
      const nameNodes = rule.names(node);
      if (nameNodes.length === 0) return [];
      return [{ kind: resolveKind(rule.kind, node), nameNodes, spanNode: declarationSpan(node) }];
    },
    scope(node) {
      const kind = table.scopes[node.type];
      if (kind === undefined) return undefined;
      const name = scopeName(node);
      return name === undefined ? { kind: resolveKind(kind, node) } : { kind: resolveKind(kind, node), name };
    },
    imports(node) {
      const rule = table.imports[node.type];
      return rule ? rule(node).filter((fact) => fact.module !== '') : [];
    },
  };
}

function declarationSpan(node: Node): Node {
  // Parameters and destructured names span only themselves; a declarator spans its statement.
  if (node.type.includes('parameter')) return node;
  let span = node;
  while (span.parent && SPAN_WRAPPERS.has(span.parent.type)) span = span.parent;
  return span;
}

function scopeName(node: Node): string | undefined {
  const own = node.childForFieldName('name') ?? (node.type === 'impl_item' ? node.childForFieldName('type') : null);
  if (own) return own.text;
  // Anonymous functions take the name they are bound to: `const f = () => ...`, `{ f: () => ... }`.
  const parent = node.parent;
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  if (parent?.type === 'pair') return parent.childForFieldName('key')?.text;
  if (parent?.type === 'assignment_expression') return parent.childForFieldName('left')?.text;
  return undefined;
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';

export type { Node as BicepNode };

/** A `param` declaration with the decorators written above it. */
export interface BicepParam {
  readonly name: string;
  readonly type: string;
  readonly hasDefault: boolean;
  /** The default when it is a plain string, number or boolean literal. */
  readonly defaultLiteral: string | number | boolean | undefined;
  /** Decorator names (`description`, `secure`, `minLength`, ...) with their argument texts. */
  readonly decorators: Readonly<Record<string, string>>;
  readonly description: string | undefined;
  readonly secure: boolean;
}

/** What the checks and scripts need from one Bicep file, read by tree-sitter-bicep (no compiler). */
export interface BicepFile {
  readonly path: string;
  readonly root: Node;
  /** `ERROR` and `MISSING` nodes as "line:column text", empty when the file parses cleanly. */
  readonly syntaxErrors: readonly string[];
  readonly params: readonly BicepParam[];
  /** Resource declarations: symbol, type (`Microsoft.Web/sites`), api version, and the body node. */
  readonly resources: readonly { symbol: string; type: string; apiVersion: string; body: Node | null; conditional: boolean; existing: boolean }[];
  readonly modules: readonly { symbol: string; path: string }[];
  readonly outputs: readonly { name: string; type: string; secure: boolean }[];
  readonly variables: ReadonlyMap<string, Node>;
}

let parserPromise: Promise<Parser> | undefined;

/** One parser for the process: web-tree-sitter's runtime and the Bicep grammar, both wasm files inside their npm packages. */
function bicepParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const grammarDir = dirname(require.resolve('tree-sitter-bicep/package.json'));
    const language = await Language.load(readFileSync(join(grammarDir, 'tree-sitter-bicep.wasm')));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

/** The value of a string literal without interpolation, else undefined. */
export function stringLiteral(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  const parts = node.namedChildren;
  if (parts.some((p) => p?.type === 'interpolation')) return undefined;
  return parts.map((p) => p?.text ?? '').join('');
}

function literal(node: Node | null | undefined): string | number | boolean | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return stringLiteral(node);
  if (node.type === 'number') return Number(node.text);
  if (node.type === 'boolean') return node.text === 'true';
  return undefined;
}

/** An object property's key: an identifier or a quoted string. */
export function propertyKey(prop: Node): string | undefined {
  const key = prop.namedChildren[0];
  if (!key) return undefined;
  return key.type === 'string' ? stringLiteral(key) : key.text;
}

/** An object property's value node (the last named child, after the key). */
export function propertyValue(prop: Node): Node | null {
  const kids = prop.namedChildren;
  return kids.length > 1 ? (kids[kids.length - 1] ?? null) : null;
}

/** The value of `key` in an object node, following a dotted path (`properties.siteConfig`). */
export function objectGet(obj: Node | null | undefined, path: string): Node | null {
  let cur: Node | null | undefined = obj;
  for (const key of path.split('.')) {
    if (!cur || cur.type !== 'object') return null;
    const prop: Node | undefined = cur.namedChildren.find((p) => p?.type === 'object_property' && propertyKey(p) === key) ?? undefined;
    cur = prop ? propertyValue(prop) : null;
  }
  return cur ?? null;
}

function decoratorsOf(node: Node | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!node || node.type !== 'decorators') return out;
  for (const d of node.namedChildren) {
    const call = d?.namedChildren[0];
    if (!call) continue;
    if (call.type === 'call_expression') {
      const fn = call.childForFieldName('function')?.text ?? '';
      const args = call.childForFieldName('arguments');
      out[fn] = args ? args.text.slice(1, -1).trim() : '';
    } else out[call.text] = '';
  }
  return out;
}

/** Parses a Bicep file and lists its declarations. */
export async function parseBicep(path: string): Promise<BicepFile> {
  const parser = await bicepParser();
  const tree = parser.parse(readFileSync(path, 'utf8'));
  if (!tree) throw new Error(`tree-sitter could not parse ${path}`);
  const root = tree.rootNode;
  const syntaxErrors: string[] = [];
  const visit = (n: Node): void => {
    if (n.isError || n.isMissing) syntaxErrors.push(`${n.startPosition.row + 1}:${n.startPosition.column + 1} ${n.isMissing ? `missing ${n.type}` : JSON.stringify(n.text.slice(0, 60))}`);
    else if (n.hasError) for (const c of n.children) if (c) visit(c);
  };
  visit(root);

  const params: BicepParam[] = [];
  const resources: BicepFile['resources'][number][] = [];
  const modules: { symbol: string; path: string }[] = [];
  const outputs: { name: string; type: string; secure: boolean }[] = [];
  const variables = new Map<string, Node>();
  let pending: Node | null = null;
  for (const node of root.namedChildren) {
    if (!node) continue;
    if (node.type === 'decorators') {
      pending = node;
      continue;
    }
    const decorators = decoratorsOf(pending);
    pending = null;
    const kids = node.namedChildren.filter((k): k is Node => k !== null);
    if (node.type === 'parameter_declaration') {
      const value = kids.length > 2 ? kids[2] : undefined;
      const description = decorators.description !== undefined ? decorators.description.replace(/^'|'$/g, '') : undefined;
      params.push({
        name: kids[0]?.text ?? '',
        type: kids[1]?.text ?? '',
        hasDefault: value !== undefined,
        defaultLiteral: literal(value),
        decorators,
        description,
        secure: 'secure' in decorators,
      });
    } else if (node.type === 'resource_declaration') {
      const [type = '', apiVersion = ''] = (stringLiteral(kids[1]) ?? '').split('@');
      const conditional = kids.find((k) => k.type === 'if_statement');
      const body = kids.find((k) => k.type === 'object') ?? conditional?.namedChildren.find((k) => k?.type === 'object') ?? null;
      resources.push({ symbol: kids[0]?.text ?? '', type, apiVersion, body, conditional: conditional !== undefined, existing: / existing\s*=/.test(node.text.split('{')[0] ?? '') });
    } else if (node.type === 'module_declaration') {
      modules.push({ symbol: kids[0]?.text ?? '', path: stringLiteral(kids[1]) ?? '' });
    } else if (node.type === 'output_declaration') {
      outputs.push({ name: kids[0]?.text ?? '', type: kids[1]?.text ?? '', secure: 'secure' in decorators });
    } else if (node.type === 'variable_declaration') {
      const value = kids[kids.length - 1];
      if (kids[0] && value) variables.set(kids[0].text, value);
    }
  }
  return { path, root, syntaxErrors, params, resources, modules, outputs, variables };
}

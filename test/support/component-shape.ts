// Reads a component's interfaces back from the WAT that wasm-tools prints (through jco): each imported
// instance type's named types, `use`d names and functions in order, and each export's names. Shared by the
// conformance tests of both contracts, so they check built binaries rather than our WIT text.
// Strings become { str }, index annotations `(;N;)` become the atom `#N`.
type SExpr = string | { str: string } | SExpr[];

function parseWat(text: string): SExpr[] {
  const stack: SExpr[][] = [[]];
  const re = /\(;(\d+);\)|\$?"((?:[^"\\]|\\.)*)"|\(|\)|[^\s()"]+/g;
  for (const m of text.matchAll(re)) {
    const tok = m[0];
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) top.push(`#${m[1]}`);
    else if (tok.startsWith('$"')) top.push(`$${m[2]}`);
    else if (m[2] !== undefined) top.push({ str: m[2] });
    else if (tok === '(') stack.push([]);
    else if (tok === ')') {
      const done = stack.pop()!;
      stack[stack.length - 1]!.push(done);
    } else top.push(tok);
  }
  return stack[0]!;
}

const isList = (e: SExpr | undefined): e is SExpr[] => Array.isArray(e);
const str = (e: SExpr | undefined) => (e && typeof e === 'object' && !Array.isArray(e) ? e.str : undefined);
const indexOf = (node: SExpr[]) => Number((node.find((e) => typeof e === 'string' && e.startsWith('#')) as string).slice(1));
const lists = (node: SExpr[]) => node.filter(isList);

export interface InterfaceShape {
  types: Map<string, SExpr>;
  used: string[];
  functions: string[];
}

/** Reads an instance type: named types (defined here), names brought in by `use`, and functions in order. */
function shapeOf(instance: SExpr[]): InterfaceShape {
  const defs = new Map<number, SExpr>();
  const aliases = new Set<number>();
  const shape: InterfaceShape = { types: new Map(), used: [], functions: [] };
  for (const decl of lists(instance)) {
    if (decl[0] === 'type') defs.set(indexOf(decl), decl[decl.length - 1]!);
    if (decl[0] === 'alias') aliases.add(indexOf(lists(decl).find((d) => d[0] === 'type')!));
    if (decl[0] !== 'export') continue;
    const name = str(decl.find((e) => str(e) !== undefined))!;
    const desc = lists(decl)[0]!;
    if (desc[0] === 'func') {
      shape.functions.push(name);
      continue;
    }
    const bound = lists(desc)[0]!;
    if (bound[0] === 'sub') {
      shape.types.set(name, 'resource');
    } else {
      const target = Number(bound[1]);
      defs.set(indexOf(decl), defs.get(target) ?? `alias ${target}`);
      if (aliases.has(target)) shape.used.push(name);
      else shape.types.set(name, defs.get(target)!);
    }
  }
  return shape;
}

/**
 * Top-level imports (with the instance type of each) and exports of a component. An export is read from the
 * shim component it instantiates: its exported type names (defined and `use`d alike) and functions.
 */
export function componentInterfaces(wat: string) {
  const [component] = parseWat(wat) as [SExpr[]];
  const byId = new Map<string, SExpr[]>();
  for (const node of lists(component)) {
    if (typeof node[1] === 'string' && node[1].startsWith('$')) byId.set(`${node[0]} ${node[1]}`, node);
  }
  const imports = new Map<string, InterfaceShape>();
  const exports = new Map<string, { typeNames: string[]; functions: string[] }>();
  for (const node of lists(component)) {
    const name = str(node.find((e) => str(e) !== undefined));
    if (!name) continue;
    const [desc] = lists(node) as [SExpr[]];
    if (node[0] === 'import') {
      const typeRef = lists(desc).find((e) => e[0] === 'type')!;
      const instance = lists(byId.get(`type ${typeRef[1]}`)!).find((e) => e[0] === 'instance')!;
      imports.set(name, shapeOf(instance));
    }
    if (node[0] === 'export') {
      const instantiate = lists(byId.get(`instance ${desc[1]}`)!).find((e) => e[0] === 'instantiate')!;
      const decls = lists(byId.get(`component ${instantiate[1]}`)!).filter((d) => d[0] === 'export');
      const named = (kind: string) =>
        decls.filter((d) => lists(d)[0]![0] === kind).map((d) => str(d.find((e) => str(e) !== undefined))!);
      exports.set(name, { typeNames: named('type'), functions: named('func') });
    }
  }
  return { imports, exports };
}

export const caseNames = (def: SExpr | undefined) => {
  if (!isList(def)) return [];
  if (def[0] === 'enum' || def[0] === 'flags') return def.slice(1).map(str);
  return lists(def).map((c) => str(c[1]));
};

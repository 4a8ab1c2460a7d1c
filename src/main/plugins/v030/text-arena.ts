// 0.3.0 text components (§4.5): a flat arena of nodes, nodes[0] the root, every index pointing to a later
// node, one referrer per node, at most 4096 nodes, 64 levels and 256 KiB of text, colours named or
// #RRGGBB. The proxy speaks JSON text components; these convert both ways and check the rules.
import type { T } from './contract-030';

// The arena rules and the plain-text walk are shared with the plugin kit, which checks what it builds.
import { ARENA_LIMITS, ArenaError, STYLE_FLAGS, arenaToPlain, checkArena } from '../../../shared/contract/text-arena-rules';

export { ARENA_LIMITS, ArenaError, arenaToPlain, checkArena };

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const emptyStyle = (): T.Style => ({});

/** A JSON text component (object, array or string) as an arena; unknown contents become plain text. */
export function arenaFromJson(value: unknown): T.Component {
  // Built with plain arrays; list<u32> crosses jco as Uint32Array.
  type Building = Omit<T.ComponentNode, 'children' | 'content'> & { children: number[]; content: { tag: 'text' | 'keybind'; val: string } | { tag: 'translatable'; val: [string, number[], string | undefined] } };
  const nodes: Building[] = [];
  const add = (v: unknown, depth: number): number => {
    const index = nodes.length;
    if (nodes.length >= ARENA_LIMITS.nodes) throw new ArenaError(`more than ${ARENA_LIMITS.nodes} nodes`);
    if (depth >= ARENA_LIMITS.depth) throw new ArenaError(`deeper than ${ARENA_LIMITS.depth} levels`);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      nodes.push({ content: { tag: 'text', val: String(v) }, style: emptyStyle(), children: [] });
      return index;
    }
    if (Array.isArray(v)) {
      // [first, ...rest]: rest are children of first.
      const root = add(v[0] ?? '', depth);
      for (const child of v.slice(1)) nodes[root]!.children.push(add(child, depth + 1));
      return root;
    }
    const o = (v && typeof v === 'object' ? v : {}) as Record<string, Json>;
    const style: T.Style = {};
    if (typeof o.color === 'string') style.color = o.color;
    for (const f of STYLE_FLAGS) if (typeof o[f] === 'boolean') style[f] = o[f] as boolean;
    if (typeof o.font === 'string') style.font = o.font;
    if (typeof o.insertion === 'string') style.insertion = o.insertion;
    const node: Building = { content: { tag: 'text', val: '' }, style, children: [] };
    nodes.push(node);
    if (typeof o.translate === 'string') {
      const args = Array.isArray(o.with) ? o.with.map((a) => add(a, depth + 1)) : [];
      node.content = { tag: 'translatable', val: [o.translate, args, typeof o.fallback === 'string' ? o.fallback : undefined] };
    } else if (typeof o.keybind === 'string') node.content = { tag: 'keybind', val: o.keybind };
    else node.content = { tag: 'text', val: typeof o.text === 'string' ? o.text : plainOf(o) };
    const click = o.clickEvent ?? o.click_event;
    if (click && typeof click === 'object' && !Array.isArray(click)) {
      const action = String(click.action ?? '').replace(/_/g, '-');
      const value = click.value ?? click.url ?? click.command ?? click.page;
      if (['open-url', 'run-command', 'suggest-command', 'copy-to-clipboard'].includes(action)) node.click = { tag: action, val: String(value ?? '') } as T.ClickEvent;
      else if (action === 'change-page') node.click = { tag: 'change-page', val: Number(value) | 0 };
    }
    const hover = o.hoverEvent ?? o.hover_event;
    if (hover && typeof hover === 'object' && !Array.isArray(hover) && hover.action === 'show_text') {
      node.hover = { tag: 'show-text', val: add(hover.contents ?? hover.value ?? '', depth + 1) };
    }
    if (Array.isArray(o.extra)) for (const child of o.extra) node.children.push(add(child, depth + 1));
    return index;
  };
  add(value, 0);
  return {
    nodes: nodes.map((n) => ({
      ...n,
      content: n.content.tag === 'translatable' ? { tag: 'translatable', val: [n.content.val[0], Uint32Array.from(n.content.val[1]), n.content.val[2]] } : n.content,
      children: Uint32Array.from(n.children),
    })),
  };
}

/** Score, selector, NBT and other contents reach a guest as plain text (§4.5). */
function plainOf(o: Record<string, Json>): string {
  if (typeof o.selector === 'string') return o.selector;
  if (o.score && typeof o.score === 'object' && !Array.isArray(o.score)) return String(o.score.value ?? o.score.name ?? '');
  if (typeof o.nbt === 'string') return o.nbt;
  return '';
}

/** An arena as a JSON text component value (checked first). */
export function arenaToJson(c: T.Component): Json {
  checkArena(c);
  const toJson = (i: number): Json => {
    const n = c.nodes[i]!;
    const out: Record<string, Json> = {};
    if (n.content.tag === 'text') out.text = n.content.val;
    else if (n.content.tag === 'keybind') out.keybind = n.content.val;
    else {
      const [key, args, fallback] = n.content.val;
      out.translate = key;
      if (args.length) out.with = Array.from(args, toJson);
      if (fallback != null) out.fallback = fallback;
    }
    const s = n.style;
    if (s.color != null) out.color = s.color;
    for (const f of STYLE_FLAGS) if (s[f] != null) out[f] = s[f]!;
    if (s.font != null) out.font = s.font;
    if (s.insertion != null) out.insertion = s.insertion;
    if (s.shadowColor != null) out.shadow_color = s.shadowColor;
    if (n.click) out.clickEvent = { action: n.click.tag.replace(/-/g, '_'), value: String(n.click.val) };
    if (n.hover) out.hoverEvent = { action: 'show_text', contents: toJson(n.hover.val) };
    if (n.children.length) out.extra = Array.from(n.children, toJson);
    return out;
  };
  return toJson(0);
}

/** `§` legacy formatting to an arena: each formatted run becomes a child of an empty root. */
export function arenaFromLegacy(legacy: string): T.Component {
  const CODES: Record<string, string> = {
    '0': 'black', '1': 'dark_blue', '2': 'dark_green', '3': 'dark_aqua', '4': 'dark_red', '5': 'dark_purple', '6': 'gold',
    '7': 'gray', '8': 'dark_gray', '9': 'blue', a: 'green', b: 'aqua', c: 'red', d: 'light_purple', e: 'yellow', f: 'white',
  };
  const FLAGS: Record<string, (typeof STYLE_FLAGS)[number]> = { l: 'bold', o: 'italic', n: 'underlined', m: 'strikethrough', k: 'obfuscated' };
  const runs: Record<string, Json>[] = [];
  let style: Record<string, Json> = {};
  let text = '';
  const flush = () => {
    if (text) runs.push({ text, ...style });
    text = '';
  };
  for (let i = 0; i < legacy.length; i++) {
    const ch = legacy[i]!;
    const code = legacy[i + 1]?.toLowerCase();
    if ((ch === '§' || ch === '&') && code && (code in CODES || code in FLAGS || code === 'r')) {
      flush();
      if (code in CODES) style = { color: CODES[code]! };
      else if (code === 'r') style = {};
      else style = { ...style, [FLAGS[code]!]: true };
      i++;
    } else text += ch;
  }
  flush();
  return arenaFromJson(runs.length === 1 ? runs[0] : { text: '', extra: runs });
}

/** A component string of the 0.2.3 shapes (JSON, or plain text) as an arena. */
export function arenaFromComponentString(s: string): T.Component {
  const t = s.trim();
  if (t.startsWith('{') || t.startsWith('[') || t.startsWith('"')) {
    try {
      return arenaFromJson(JSON.parse(t));
    } catch (err) {
      if (err instanceof ArenaError) throw err;
    }
  }
  return arenaFromJson({ text: s });
}

/** An arena as the proxy's JSON component string; invalid text applies as a placeholder (§4.4). */
export function componentStringOf(c: T.Component | undefined): string {
  try {
    return JSON.stringify(arenaToJson(c!));
  } catch {
    return JSON.stringify({ text: '(invalid text from a plugin)' });
  }
}

// The 0.3.0 text-component rules (§4.5), shared by the host (which refuses a bad arena with
// invalid-argument) and the plugin kit (which checks the arenas it builds, so an author hears of a broken
// rule where it is made): nodes[0] is the root, every index points to a later node, one referrer per node,
// at most 4096 nodes, 64 levels and 256 KiB of text, colours named or #RRGGBB. Structural types, so the
// host's generated shapes and a guest's (options as null) both fit.

export const ARENA_LIMITS = { nodes: 4096, depth: 64, textBytes: 256 * 1024 } as const;
export const NAMED_COLORS: ReadonlySet<string> = new Set([
  'black', 'dark_blue', 'dark_green', 'dark_aqua', 'dark_red', 'dark_purple', 'gold', 'gray', 'dark_gray', 'blue',
  'green', 'aqua', 'red', 'light_purple', 'yellow', 'white',
]);
export const STYLE_FLAGS = ['bold', 'italic', 'underlined', 'strikethrough', 'obfuscated'] as const;

/** What the rules read of a component arena. */
export interface ArenaShape {
  nodes: ArrayLike<{
    content: { tag: 'text' | 'keybind'; val: string } | { tag: 'translatable'; val: [string, ArrayLike<number>, (string | null)?] };
    style: { color?: string | null };
    hover?: { val: number } | null;
    children: ArrayLike<number>;
  }>;
}

export class ArenaError extends Error {}

/** Checks every §4.5 rule; throws ArenaError naming the first one broken. */
export function checkArena(c: ArenaShape): void {
  const nodes = c?.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) throw new ArenaError('a component needs at least its root node');
  if (nodes.length > ARENA_LIMITS.nodes) throw new ArenaError(`${nodes.length} nodes (at most ${ARENA_LIMITS.nodes})`);
  const referrers = new Array<number>(nodes.length).fill(0);
  const depth = new Array<number>(nodes.length).fill(0);
  let text = 0;
  const refer = (from: number, to: number) => {
    if (!Number.isInteger(to) || to <= from || to >= nodes.length) throw new ArenaError(`node ${from} refers to node ${to}, which is not a later node`);
    if (++referrers[to]! > 1) throw new ArenaError(`node ${to} has more than one referrer`);
    depth[to] = depth[from]! + 1;
    if (depth[to]! >= ARENA_LIMITS.depth) throw new ArenaError(`deeper than ${ARENA_LIMITS.depth} levels`);
  };
  nodes.forEach((n: ArenaShape['nodes'][number], i: number) => {
    const content = n.content;
    if (content.tag === 'translatable') {
      const [key, args, fallback] = content.val;
      text += key.length + (fallback?.length ?? 0);
      for (const a of Array.from(args)) refer(i, a);
    } else text += content.val.length;
    for (const ch of Array.from(n.children)) refer(i, ch);
    if (n.hover) refer(i, n.hover.val);
    const color = n.style.color;
    if (color != null && !NAMED_COLORS.has(color) && !/^#[0-9a-fA-F]{6}$/.test(color)) throw new ArenaError(`"${color}" is not a named colour or #RRGGBB`);
  });
  if (text > ARENA_LIMITS.textBytes) throw new ArenaError(`${text} characters of text (at most ${ARENA_LIMITS.textBytes})`);
  for (let i = 1; i < nodes.length; i++) if (referrers[i] !== 1) throw new ArenaError(`node ${i} is not referred to by any node`);
}

/** The arena's text without styling (checked first). */
export function arenaToPlain(c: ArenaShape): string {
  checkArena(c);
  const plain = (i: number): string => {
    const n = c.nodes[i]!;
    const own = n.content.tag === 'translatable' ? (n.content.val[2] ?? n.content.val[0]) : n.content.val;
    return own + Array.from(n.children, plain).join('');
  };
  return plain(0);
}

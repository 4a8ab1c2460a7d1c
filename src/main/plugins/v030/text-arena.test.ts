import { describe, expect, it } from 'vitest';
import type { T } from './contract-030';
import { ARENA_LIMITS, ArenaError, arenaFromJson, arenaFromLegacy, arenaToJson, arenaToPlain, checkArena } from './text-arena';

const node = (text: string, children: number[] = [], color?: string): T.ComponentNode => ({
  content: { tag: 'text', val: text },
  style: color ? { color } : {},
  children: Uint32Array.from(children),
});

describe('0.3.0 text arenas (§4.5)', () => {
  it('round-trips JSON text components with styles, children, translations, clicks and hovers', () => {
    const json = {
      text: 'Hi ',
      color: 'gold',
      bold: true,
      hoverEvent: { action: 'show_text', contents: { text: 'tip', color: '#a0b0c0' } },
      extra: [{ translate: 'chat.type.text', with: [{ text: 'Steve' }], clickEvent: { action: 'run_command', value: '/spawn' } }],
    };
    const arena = arenaFromJson(json);
    expect(() => checkArena(arena)).not.toThrow();
    expect(arenaToJson(arena)).toEqual(json);
    expect(arenaToPlain(arenaFromLegacy('§6Gold §lbold'))).toBe('Gold bold');
  });

  it('refuses each broken rule with a reason', () => {
    const bad = (nodes: T.ComponentNode[]) => () => checkArena({ nodes });
    expect(bad([])).toThrow(ArenaError);
    expect(bad([node('a', [0])])).toThrow(/not a later node/);
    expect(bad([node('a', [1]), node('b'), node('orphan')])).toThrow(/node 2 is not referred to/);
    expect(bad([node('a', [1, 2]), node('b', [2]), node('c')])).toThrow(/more than one referrer/);
    expect(bad([node('a', [], 'ultraviolet')])).toThrow(/not a named colour or #RRGGBB/);
    const deep = Array.from({ length: ARENA_LIMITS.depth + 1 }, (_, i) => node('x', i < ARENA_LIMITS.depth ? [i + 1] : []));
    expect(bad(deep)).toThrow(/deeper than 64 levels/);
    const wide = [node('root', Array.from({ length: ARENA_LIMITS.nodes }, (_, i) => i + 1)), ...Array.from({ length: ARENA_LIMITS.nodes }, () => node('x'))];
    expect(bad(wide)).toThrow(/4097 nodes/);
    expect(bad([node('x'.repeat(ARENA_LIMITS.textBytes + 1))])).toThrow(/characters of text/);
  });
});

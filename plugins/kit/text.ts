// 0.3.0: chat text crosses the contract as a component arena (§3.1, §4.5): nodes[0] is the root and
// children point to later nodes. Build them here; every arena the kit builds is checked against the
// contract's rules (shared with the host), so a broken one fails where it is made, with the rule it broke.
import type { Component, ComponentNode, Style as ArenaStyle } from 'infrarust:plugin/types@0.3.0';
import { ArenaError, arenaToPlain, checkArena } from '../../src/shared/contract/text-arena-rules';
import type { Style, TextPart } from './style';

export { ArenaError };

const arenaStyle = ({ color, bold, italic, underlined, strikethrough, obfuscated }: Style): ArenaStyle => ({
  color,
  bold,
  italic,
  underlined,
  strikethrough,
  obfuscated,
});

const node = (text: string, style: Style, children: number[] = []): ComponentNode => ({
  content: { tag: 'text', val: text },
  style: arenaStyle(style),
  children: Uint32Array.from(children),
});

function checked(c: Component): Component {
  checkArena(c);
  return c;
}

/** `text('Welcome', { color: 'gold' })`: one styled node. */
export function text(content: string, style: Style = {}): Component {
  return checked({ nodes: [node(content, style)] });
}

/** Several pieces as one component (an empty root with a child per piece); plain strings have no style. */
export function join(...parts: (string | TextPart)[]): Component {
  const children = parts.map((p) => (typeof p === 'string' ? node(p, {}) : node(p.text, p)));
  return checked({ nodes: [node('', {}, children.map((_, i) => i + 1)), ...children] });
}

/** Plain text as is, or a component: what the outcome helpers take for reasons and messages. */
export const asComponent = (c: Component | string): Component => (typeof c === 'string' ? text(c) : c);

/** The text of a component without its styling (for logs, or to compare). */
export const plainText = (component: Component): string => arenaToPlain(component);

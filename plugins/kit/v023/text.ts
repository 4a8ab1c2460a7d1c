// 0.2.3: chat text crosses the contract as a serialized JSON text component (a string): build them here.
import type { Component } from 'infrarust:plugin/types@0.2.3';
import { part, type Style, type TextPart } from '../style';

/** `text('Welcome', { color: 'gold' })` → '{"text":"Welcome","color":"gold"}'. */
export function text(content: string, style: Style = {}): Component {
  return JSON.stringify(part(content, style));
}

/** Several pieces as one component; plain strings inherit no style. */
export function join(...parts: (string | TextPart)[]): Component {
  return JSON.stringify({ text: '', extra: parts.map((p) => (typeof p === 'string' ? { text: p } : p)) });
}

/** The text of a component without its styling (for logs, or to compare). */
export function plainText(component: Component): string {
  let value: unknown;
  try {
    value = JSON.parse(component);
  } catch {
    return component;
  }
  const flatten = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(flatten).join('');
    if (v && typeof v === 'object') {
      const c = v as { text?: unknown; extra?: unknown };
      return (typeof c.text === 'string' ? c.text : '') + (Array.isArray(c.extra) ? c.extra.map(flatten).join('') : '');
    }
    return '';
  };
  return flatten(value);
}

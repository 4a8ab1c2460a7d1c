// Chat text crosses the contract as serialized JSON text components; config files hold plain text.

/**
 * The JSON value for a component string: JSON that parses as an object, array or string is used as is
 * (a plugin's component), anything else becomes plain text (a config's `§`-formatted message).
 */
export function parseComponent(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[') || t.startsWith('"')) {
    try {
      return JSON.parse(t);
    } catch {
      // not JSON after all: plain text
    }
  }
  return { text };
}

/** Serialized JSON text component for a config string or a plugin component. */
export function componentJson(text: string): string {
  return JSON.stringify(parseComponent(text));
}

/** Flattened text of a component (for legacy pings and logs). */
export function plainText(component: unknown): string {
  if (typeof component === 'string') return component;
  if (Array.isArray(component)) return component.map(plainText).join('');
  if (component && typeof component === 'object') {
    const c = component as { text?: unknown; translate?: unknown; extra?: unknown };
    const own = typeof c.text === 'string' ? c.text : typeof c.translate === 'string' ? c.translate : '';
    return own + (Array.isArray(c.extra) ? c.extra.map(plainText).join('') : '');
  }
  return '';
}

// Text style as authors write it, the same for both contracts (0.2.3 serializes it as JSON text,
// 0.3.0 puts it in a component arena's node).

export type Color =
  | 'black' | 'dark_blue' | 'dark_green' | 'dark_aqua' | 'dark_red' | 'dark_purple' | 'gold' | 'gray'
  | 'dark_gray' | 'blue' | 'green' | 'aqua' | 'red' | 'light_purple' | 'yellow' | 'white' | `#${string}`;

export interface Style {
  color?: Color;
  bold?: boolean;
  italic?: boolean;
  underlined?: boolean;
  strikethrough?: boolean;
  obfuscated?: boolean;
}

/** One styled piece of text, to combine with `join`. */
export interface TextPart extends Style {
  text: string;
}

export const part = (text: string, style: Style = {}): TextPart => ({ text, ...style });

// Readable messages for whatever a plugin catches. A host call that returns err(...) throws an Error whose
// `payload` is the contract's error variant (service-error, player-error) or a WASI error code.

export function errorMessage(err: unknown): string {
  const payload = (err as { payload?: unknown } | null)?.payload;
  if (payload !== undefined) return describe(payload);
  if (err instanceof Error) return err.message;
  return describe(err);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'tag' in value) {
    const { tag, val } = value as { tag: string; val?: unknown };
    return val === undefined || val === null ? tag : `${tag}: ${describe(val)}`;
  }
  return JSON.stringify(value) ?? String(value);
}

// Readable messages for whatever a plugin catches. A host call that returns err(...) throws an Error whose
// `payload` is the contract's error: in 0.3.0 a host-error { kind, message }; in 0.2.3 the interface's own
// variant (service-error, player-error); or a WASI error code.

/** A 0.3.0 host-error, as the kit rethrows it: `what` names the call, `kind` is the error kind to branch on. */
export class HostCallError extends Error {
  constructor(
    readonly what: string,
    readonly kind: string,
    readonly detail: string,
  ) {
    super(`${what}: ${kind}${detail ? `: ${detail}` : ''}`);
    this.name = 'HostCallError';
  }
}

/** The host-error a failed host call threw, if it was one. */
export function hostErrorOf(err: unknown): { kind: string; message: string } | undefined {
  const payload = (err as { payload?: unknown } | null)?.payload ?? err;
  if (payload && typeof payload === 'object' && typeof (payload as { kind?: unknown }).kind === 'string') {
    const { kind, message } = payload as { kind: string; message?: unknown };
    return { kind, message: typeof message === 'string' ? message : '' };
  }
  return undefined;
}

/**
 * Runs a host call whose result the kit hides: its host-error comes out as a HostCallError naming the
 * call (`command-manager.register: conflict: command "ban" belongs to ...`).
 */
export function hostCall<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    const hostError = hostErrorOf(err);
    if (hostError) throw new HostCallError(what, hostError.kind, hostError.message);
    throw err;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof HostCallError) return err.message;
  const payload = (err as { payload?: unknown } | null)?.payload;
  if (payload !== undefined) return describe(payload);
  if (err instanceof Error) return err.message;
  return describe(err);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  const hostError = hostErrorOf(value);
  if (hostError) return hostError.message ? `${hostError.kind}: ${hostError.message}` : hostError.kind;
  if (value && typeof value === 'object' && 'tag' in value) {
    const { tag, val } = value as { tag: string; val?: unknown };
    return val === undefined || val === null ? tag : `${tag}: ${describe(val)}`;
  }
  return JSON.stringify(value) ?? String(value);
}

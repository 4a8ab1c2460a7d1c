// Decides which host interfaces a plugin gets, and explains a refusal before anything is instantiated.
import { ALWAYS_LINKED_INTERFACES, INTERFACE_CAPABILITY, type Capability } from '../../shared/capabilities';
import { CONTRACT_PACKAGE, CONTRACT_VERSION } from '../../shared/contract-version';
import { NETWORK_PACKAGES, WASI_PACKAGES } from '../guest/host-interfaces';
import { parseInterfaceName } from '../wasm/component-binary';

export type LinkDecision =
  | { ok: true; linked: string[] }
  | { ok: false; kind: 'capability-denied'; missing: { iface: string; capability: Capability }[]; message: string }
  | { ok: false; kind: 'failed'; message: string };

/** Contract-version problems, read from the versioned names in the component binary. */
export function contractVersionProblem(versionedImports: string[], exports: string[]): string | null {
  const names = [...versionedImports, ...exports].map(parseInterfaceName).filter((n) => n?.pkg === CONTRACT_PACKAGE);
  const other = names.find((n) => n!.version !== CONTRACT_VERSION);
  if (other) {
    return `it was built for ${CONTRACT_PACKAGE}@${other.version ?? '(unversioned)'}, but this host implements ${CONTRACT_PACKAGE}@${CONTRACT_VERSION}: rebuild it against the ${CONTRACT_VERSION} contract`;
  }
  if (!exports.includes(`${CONTRACT_PACKAGE}/guest@${CONTRACT_VERSION}`)) {
    return `it does not export ${CONTRACT_PACKAGE}/guest@${CONTRACT_VERSION} (its exports: ${exports.join(', ') || 'none'}), so it is not an Infrarust plugin`;
  }
  return null;
}

/**
 * `imports` are jco's unversioned import names. Gated contract interfaces are linked only when their
 * capability is granted; WASI is linked except networking, which this build never provides.
 */
export function decideLinks(imports: readonly string[], granted: ReadonlySet<Capability>): LinkDecision {
  const linked = new Set<string>(ALWAYS_LINKED_INTERFACES);
  const missing: { iface: string; capability: Capability }[] = [];
  for (const name of imports) {
    const parsed = parseInterfaceName(name);
    if (parsed?.pkg === CONTRACT_PACKAGE) {
      if ((ALWAYS_LINKED_INTERFACES as readonly string[]).includes(parsed.iface)) continue;
      const capability = INTERFACE_CAPABILITY[parsed.iface];
      if (!capability) return { ok: false, kind: 'failed', message: `it imports ${name}, which is not part of the ${CONTRACT_VERSION} contract` };
      if (granted.has(capability)) linked.add(parsed.iface);
      else missing.push({ iface: parsed.iface, capability });
      continue;
    }
    const wasi = parsed?.pkg.startsWith('wasi:') ? parsed.pkg.slice(5) : null;
    if (wasi && (NETWORK_PACKAGES as readonly string[]).includes(wasi)) {
      return {
        ok: false,
        kind: 'failed',
        message: `it imports ${name}, which would need the \`network\` capability, and this build gives plugins no network access at all: wasi:sockets and wasi:http are never linked, even when \`network\` is granted`,
      };
    }
    if (wasi && (WASI_PACKAGES as readonly string[]).includes(wasi)) continue;
    return { ok: false, kind: 'failed', message: `it imports ${name}, which this host does not provide` };
  }
  if (missing.length > 0) {
    const list = missing.map((m) => `${CONTRACT_PACKAGE}/${m.iface}@${CONTRACT_VERSION} (needs capability \`${m.capability}\`)`).join(', ');
    return {
      ok: false,
      kind: 'capability-denied',
      missing,
      message: `capability denied: it imports ${list}. Grant it with permissions = [${[...new Set(missing.map((m) => `"${m.capability}"`))].join(', ')}] in its [plugins.<id>] table.`,
    };
  }
  return { ok: true, linked: [...linked] };
}

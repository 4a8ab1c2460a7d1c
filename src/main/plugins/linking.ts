// The linker of each contract: which host interfaces a plugin gets, and why a plugin is refused before
// anything is instantiated. The rules themselves are shared with the plugin kit (shared/contract).
import type { Capability } from '../../shared/capabilities';
import { CONTRACT_PACKAGE, CONTRACT_RULES, classifyImport, functionCapabilities, interfaceCapabilities, type ContractVersion } from '../../shared/contract/contracts';

/** An interface imported without a capability some of its imported functions need. */
export interface MissingCapability {
  iface: string;
  capability: Capability;
  /** The imported functions that need it. */
  functions: string[];
}

export type LinkDecision =
  /** `warnings`: 0.3.0 interfaces whose imported functions lack their capability (those calls will be refused). */
  | { ok: true; linked: string[]; warnings: string[] }
  | { ok: false; kind: 'capability-denied'; missing: MissingCapability[]; message: string }
  | { ok: false; kind: 'failed'; message: string };

/**
 * Import name (jco's, unversioned) → the functions the component imports from it, read from its binary
 * (`wasm/component-imports.ts`); an interface it has no list for counts as importing every function.
 */
export type ImportedFunctions = Readonly<Record<string, readonly string[] | null>>;

/**
 * `strict`: `[plugins.<id>] strict_capabilities` — for 0.3.0 the load-time warnings become a load failure
 * with the same message (§4.1); 0.2.3 always refuses.
 * `imports` are jco's unversioned import names. 0.2.3 links a gated interface only when its capability is
 * granted and refuses a plugin importing one without it, as Infrarust's linker does (the refusal names the
 * functions it imports). 0.3.0 links every interface and checks capabilities when a gated function is called
 * (§4.1); at load it reports each interface whose imported functions lack their grant, naming them — an
 * interface imported only for its types (`ban-service`, `permissions`, `limbo` in nearly every guest)
 * imports no function and needs nothing. WASI is linked except networking, which this build never provides.
 */
export function decideLinks(
  imports: readonly string[],
  functions: ImportedFunctions,
  granted: ReadonlySet<Capability>,
  contract: ContractVersion,
  strict = false,
): LinkDecision {
  const rules = CONTRACT_RULES[contract];
  const linked = new Set<string>(rules.alwaysLinked);
  const missing: MissingCapability[] = [];
  for (const name of imports) {
    const cls = classifyImport(name, contract);
    if (cls.kind === 'refused') return { ok: false, kind: 'failed', message: `it imports ${cls.reason}` };
    if (cls.kind === 'wasi') continue;
    const imported = functions[name];
    if (rules.gating === 'call') {
      missing.push(...ungranted(cls.iface, imported ?? null, granted, contract));
      continue;
    }
    const capability = rules.interfaceCapability[cls.iface];
    if (rules.alwaysLinked.includes(cls.iface) || !capability) continue;
    if (granted.has(capability)) linked.add(cls.iface);
    else missing.push({ iface: cls.iface, capability, functions: [...(imported ?? [])] });
  }
  const qualified = (m: MissingCapability) => `${CONTRACT_PACKAGE}/${m.iface}@${contract} (needs capability \`${m.capability}\`)`;
  const calls = (m: MissingCapability) => m.functions.map((f) => `${m.iface}.${f}`).join(', ');
  if (rules.gating === 'call') {
    // One warning per interface (§4.1), naming each missing capability and the imported calls it gates.
    const byIface = new Map<string, MissingCapability[]>();
    for (const m of missing) byIface.set(m.iface, [...(byIface.get(m.iface) ?? []), m]);
    const warnings = [...byIface.values()].map((ms) =>
      ms.length === 1
        ? `it imports ${qualified(ms[0]!)} without that capability: ${calls(ms[0]!)} will answer permission-denied`
        : `it imports ${CONTRACT_PACKAGE}/${ms[0]!.iface}@${contract} without ${ms.map((m) => `\`${m.capability}\` (for ${calls(m)})`).join(' and ')}: those calls will answer permission-denied`,
    );
    if (strict && missing.length > 0) return { ok: false, kind: 'capability-denied', missing, message: `strict_capabilities: ${warnings.join('; ')}` };
    return { ok: true, linked: [...linked], warnings };
  }
  if (missing.length > 0) {
    const which = (m: MissingCapability) => (m.functions.length > 0 ? `${qualified(m)} for ${calls(m)}` : qualified(m));
    return {
      ok: false,
      kind: 'capability-denied',
      missing,
      message: `capability denied: it imports ${missing.map(which).join(', ')}. Grant it with permissions = [${[...new Set(missing.map((m) => `"${m.capability}"`))].join(', ')}] in its [plugins.<id>] table.`,
    };
  }
  return { ok: true, linked: [...linked], warnings: [] };
}

/**
 * 0.3.0: per capability, the imported functions of `iface` that need it and are not granted. `null` (an
 * import type this host could not read) counts as every function, shown as `iface.*`.
 */
function ungranted(iface: string, imported: readonly string[] | null, granted: ReadonlySet<Capability>, contract: ContractVersion): MissingCapability[] {
  const gates: [string, readonly Capability[]][] = imported
    ? imported.map((fn) => [fn, functionCapabilities(contract, iface, fn)])
    : [['*', interfaceCapabilities(contract, iface)]];
  const byCapability = new Map<Capability, string[]>();
  for (const [fn, needs] of gates) {
    for (const capability of new Set(needs)) if (!granted.has(capability)) byCapability.set(capability, [...(byCapability.get(capability) ?? []), fn]);
  }
  return [...byCapability].map(([capability, fns]) => ({ iface, capability, functions: fns }));
}

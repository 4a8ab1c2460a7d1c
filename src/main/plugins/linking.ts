// The linker of each contract: which host interfaces a plugin gets, and why a plugin is refused before
// anything is instantiated. The rules themselves are shared with the plugin kit (shared/contract).
import type { Capability } from '../../shared/capabilities';
import { CONTRACT_PACKAGE, CONTRACT_RULES, classifyImport, type ContractVersion } from '../../shared/contract/contracts';

export type LinkDecision =
  /** `warnings`: 0.3.0 interfaces imported without their capability (their gated calls will be refused). */
  | { ok: true; linked: string[]; warnings: string[] }
  | { ok: false; kind: 'capability-denied'; missing: { iface: string; capability: Capability }[]; message: string }
  | { ok: false; kind: 'failed'; message: string };

/**
 * `strict`: `[plugins.<id>] strict_capabilities` — for 0.3.0 the load-time warnings become a load failure
 * with the same message (§4.1); 0.2.3 always refuses.
 * `imports` are jco's unversioned import names. 0.2.3 links a gated interface only when its capability is
 * granted; 0.3.0 links every interface and checks capabilities when a gated function is called (§4.1),
 * warning at load time about each imported interface that lacks its grant. WASI is linked except networking,
 * which this build never provides.
 */
export function decideLinks(imports: readonly string[], granted: ReadonlySet<Capability>, contract: ContractVersion, strict = false): LinkDecision {
  const rules = CONTRACT_RULES[contract];
  const linked = new Set<string>(rules.alwaysLinked);
  const missing: { iface: string; capability: Capability }[] = [];
  for (const name of imports) {
    const cls = classifyImport(name, contract);
    if (cls.kind === 'refused') return { ok: false, kind: 'failed', message: `it imports ${cls.reason}` };
    if (cls.kind === 'wasi') continue;
    const capability = rules.interfaceCapability[cls.iface];
    if (rules.gating === 'call') {
      // Importing limbo only for its types does not count (§4.1).
      if (capability && !granted.has(capability) && cls.iface !== 'limbo') missing.push({ iface: cls.iface, capability });
      continue;
    }
    if (rules.alwaysLinked.includes(cls.iface) || !capability) continue;
    if (granted.has(capability)) linked.add(cls.iface);
    else missing.push({ iface: cls.iface, capability });
  }
  const qualified = (m: { iface: string; capability: Capability }) => `${CONTRACT_PACKAGE}/${m.iface}@${contract} (needs capability \`${m.capability}\`)`;
  if (rules.gating === 'call') {
    const warnings = missing.map((m) => `it imports ${qualified(m)} without that capability: its gated calls will answer permission-denied`);
    if (strict && missing.length > 0) return { ok: false, kind: 'capability-denied', missing, message: `strict_capabilities: ${warnings.join('; ')}` };
    return { ok: true, linked: [...linked], warnings };
  }
  if (missing.length > 0) {
    return {
      ok: false,
      kind: 'capability-denied',
      missing,
      message: `capability denied: it imports ${missing.map(qualified).join(', ')}. Grant it with permissions = [${[...new Set(missing.map((m) => `"${m.capability}"`))].join(', ')}] in its [plugins.<id>] table.`,
    };
  }
  return { ok: true, linked: [...linked], warnings: [] };
}

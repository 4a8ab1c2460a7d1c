// Host name → server id. Exact names beat wildcards; among wildcards the one with more literal characters
// wins; remaining ties go to the server id that sorts first, so routing never depends on load order.

export interface RoutedServer {
  id: string;
  domains: string[];
}

export interface DomainConflict {
  domain: string;
  winner: string;
  loser: string;
}

interface Wildcard {
  id: string;
  pattern: RegExp;
  literalLength: number;
}

export class DomainRouter {
  private readonly exact = new Map<string, string>();
  private readonly wildcards: Wildcard[] = [];
  readonly conflicts: DomainConflict[] = [];

  constructor(servers: RoutedServer[]) {
    const sorted = [...servers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const seenPatterns = new Map<string, string>();
    for (const s of sorted) {
      for (const raw of s.domains) {
        const domain = raw.toLowerCase();
        const owner = this.exact.get(domain) ?? seenPatterns.get(domain);
        if (owner !== undefined) {
          if (owner !== s.id) this.conflicts.push({ domain, winner: owner, loser: s.id });
          continue;
        }
        if (domain.includes('*')) {
          seenPatterns.set(domain, s.id);
          const source = domain.split('*').map(escapeRegExp).join('.*');
          this.wildcards.push({ id: s.id, pattern: new RegExp(`^${source}$`), literalLength: domain.replaceAll('*', '').length });
        } else {
          this.exact.set(domain, s.id);
        }
      }
    }
    // Stable sort keeps id order among equally specific patterns.
    this.wildcards.sort((a, b) => b.literalLength - a.literalLength);
  }

  /** `host` must already be lowercase (see normalizeHost). */
  resolve(host: string): string | undefined {
    const hit = this.exact.get(host);
    if (hit !== undefined) return hit;
    return this.wildcards.find((w) => w.pattern.test(host))?.id;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

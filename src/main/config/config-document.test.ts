// Config documents for plugins: redacted on the way out (no panel token, no Redis URL, no other plugin's
// settings), and a write that keeps every byte it did not have to change.
import { parse, stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { applyConfigDocument, DocumentRefused, effectiveConfigDocument, proxyConfigDocument, serverDocument } from './config-document';

const FILE = `# my proxy: hand-written
bind = "0.0.0.0:25565" # the public port
max_connections = 100

[panel]
token = "panel-secret-token"

[cluster]
redis = "redis://user:redis-password@127.0.0.1:6379"

# wasm limits, tuned by hand
[wasm]
call_timeout_ms = 2000 # keep it short

[plugins.guard]
permissions = ["config-write"]

[plugins.guard.settings]
greeting = "hi"

[plugins.other]
permissions = ["ban"]

[plugins.other.settings]
api_key = "other-plugin-api-key"
`;

const SECRETS = ['panel-secret-token', 'redis-password', 'other-plugin-api-key', 'hand-written'];

describe('config documents', () => {
  it('never carry the panel, the cluster, another plugin or a comment', () => {
    for (const doc of [proxyConfigDocument(FILE, 'guard'), effectiveConfigDocument(FILE, 'guard')]) {
      for (const secret of SECRETS) expect(doc).not.toContain(secret);
      const data = parse(doc) as Record<string, any>;
      expect(Object.keys(data.plugins)).toEqual(['guard']);
      expect(data.plugins.guard.settings).toEqual({ greeting: 'hi' });
      expect(data.panel).toBeUndefined();
      expect(data.cluster).toBeUndefined();
    }
  });

  it('the effective document has the defaults under the file', () => {
    const data = parse(effectiveConfigDocument(FILE, 'guard')) as Record<string, any>;
    expect(data.bind).toBe('0.0.0.0:25565');
    expect(data.wasm.call_timeout_ms).toBe(2000);
    expect(data.wasm.memory_limit_mb).toBe(64);
    expect(data.servers_dir).toBe('./servers');
    expect(parse(effectiveConfigDocument(null, 'x'))).not.toHaveProperty('plugins');
  });

  it('a server document leaves out the forwarding secret', () => {
    const doc = serverDocument('domains = ["a.test"]\naddresses = ["127.0.0.1:25566"]\nforwarding = "velocity"\nforwarding_secret = "velocity-secret"\n');
    expect(doc).not.toContain('velocity-secret');
    expect(parse(doc)).toMatchObject({ domains: ['a.test'], forwarding: 'velocity' });
  });

  it('a write changes only what differs and keeps comments, layout and the hidden parts', () => {
    const doc = parse(proxyConfigDocument(FILE, 'guard')) as Record<string, any>;
    doc.max_connections = 200;
    doc.plugins.guard.settings.greeting = 'hello';
    const { text } = applyConfigDocument(FILE, stringify(doc), 'guard');
    for (const kept of ['# my proxy: hand-written', 'bind = "0.0.0.0:25565" # the public port', '# wasm limits, tuned by hand', 'call_timeout_ms = 2000 # keep it short', 'token = "panel-secret-token"', 'api_key = "other-plugin-api-key"', 'redis-password']) {
      expect(text).toContain(kept);
    }
    const data = parse(text) as Record<string, any>;
    expect(data.max_connections).toBe(200);
    expect(data.plugins.guard.settings.greeting).toBe('hello');
    expect(data.plugins.other.settings.api_key).toBe('other-plugin-api-key');
    expect(data.panel.token).toBe('panel-secret-token');
    // max_connections stays a root key (before the first table)
    expect(text.indexOf('max_connections = 200')).toBeLessThan(text.indexOf('[panel]'));
    // An unchanged document changes nothing.
    expect(applyConfigDocument(FILE, proxyConfigDocument(FILE, 'guard'), 'guard').text).toBe(FILE);
  });

  it('refuses a document touching the panel or another plugin, and one that does not parse', () => {
    const refusal = (doc: string) => {
      try {
        applyConfigDocument(FILE, doc, 'guard');
      } catch (err) {
        return err instanceof DocumentRefused ? err.kind : 'other';
      }
      return 'accepted';
    };
    expect(refusal('[panel]\ntoken = "mine"\n')).toBe('permission-denied');
    expect(refusal('[cluster]\nredis = "redis://evil:1"\n')).toBe('permission-denied');
    expect(refusal('[plugins.other]\nenabled = false\n')).toBe('permission-denied');
    expect(refusal('bind = \n')).toBe('invalid-argument');
  });
});

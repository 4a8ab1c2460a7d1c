// The load-time capability report and link decisions of each contract, from the functions a component
// imports (§4.1 for 0.3.0; 0.2.3 links by interface, as Infrarust's beta.1 host does).
import { describe, expect, it } from 'vitest';
import { BASELINE_CAPABILITIES, type Capability } from '../../shared/capabilities';
import { decideLinks } from './linking';

const baseline = new Set<Capability>(BASELINE_CAPABILITIES);
const with_ = (...extra: Capability[]) => new Set<Capability>([...BASELINE_CAPABILITIES, ...extra]);
const IMPORTS_030 = ['infrarust:plugin/types', 'infrarust:plugin/log', 'infrarust:plugin/limbo', 'infrarust:plugin/ban-service', 'infrarust:plugin/permissions', 'infrarust:plugin/players'];

describe('0.3.0 load-time report', () => {
  it('says nothing about interfaces imported only for their types (no function)', () => {
    const functions = { 'infrarust:plugin/log': ['info'], 'infrarust:plugin/limbo': ['[method]limbo-session.complete'], 'infrarust:plugin/ban-service': [], 'infrarust:plugin/permissions': [], 'infrarust:plugin/players': ['count'] };
    expect(decideLinks(IMPORTS_030, functions, baseline, '0.3.0', true)).toMatchObject({ ok: true, warnings: [] });
  });

  it('warns once per interface, naming the calls and the capability; strict refuses with the same words', () => {
    const functions = {
      'infrarust:plugin/limbo': [],
      'infrarust:plugin/permissions': [],
      'infrarust:plugin/ban-service': ['ban', 'list'],
      'infrarust:plugin/players': ['count', 'send-packet', 'disconnect'],
    };
    const lenient = decideLinks(IMPORTS_030, functions, new Set<Capability>(['player-read']), '0.3.0');
    if (!lenient.ok) throw new Error(lenient.message);
    expect(lenient.warnings).toEqual([
      'it imports infrarust:plugin/ban-service@0.3.0 (needs capability `ban`) without that capability: ban-service.ban, ban-service.list will answer permission-denied',
      'it imports infrarust:plugin/players@0.3.0 without `raw-packet` (for players.send-packet) and `player-write` (for players.disconnect): those calls will answer permission-denied',
    ]);
    const strict = decideLinks(IMPORTS_030, functions, new Set<Capability>(['player-read']), '0.3.0', true);
    expect(strict).toMatchObject({ ok: false, kind: 'capability-denied', message: `strict_capabilities: ${lenient.warnings.join('; ')}` });
    expect(!strict.ok && strict.kind === 'capability-denied' && strict.missing.map((m) => m.capability)).toEqual(['ban', 'raw-packet', 'player-write']);
    expect(decideLinks(IMPORTS_030, functions, with_('ban', 'raw-packet'), '0.3.0', true)).toMatchObject({ ok: true, warnings: [] });
  });

  it('gates by function where the reference does: register-limbo-handler, the providers, config writes', () => {
    const imports = ['infrarust:plugin/limbo', 'infrarust:plugin/providers', 'infrarust:plugin/config-service'];
    const functions = { 'infrarust:plugin/limbo': ['register-limbo-handler', '[method]limbo-session.complete'], 'infrarust:plugin/providers': ['register-ban-provider'], 'infrarust:plugin/config-service': ['get-value', 'write-proxy-config-document'] };
    const links = decideLinks(imports, functions, baseline, '0.3.0', true);
    expect(!links.ok && links.kind === 'capability-denied' && links.missing).toEqual([
      { iface: 'limbo', capability: 'limbo', functions: ['register-limbo-handler'] },
      { iface: 'providers', capability: 'ban-provider', functions: ['register-ban-provider'] },
      { iface: 'config-service', capability: 'config-write', functions: ['write-proxy-config-document'] },
    ]);
  });

  it('counts an import whose functions could not be read as importing all of them', () => {
    const links = decideLinks(['infrarust:plugin/ban-service'], { 'infrarust:plugin/ban-service': null }, baseline, '0.3.0');
    expect(links).toMatchObject({ ok: true, warnings: [expect.stringContaining('ban-service.* will answer permission-denied')] });
  });
});

describe('0.2.3 link-time refusal', () => {
  it('refuses a gated interface by interface, naming the functions it imports', () => {
    const imports = ['infrarust:plugin/types', 'infrarust:plugin/log', 'infrarust:plugin/ban-service'];
    const links = decideLinks(imports, { 'infrarust:plugin/ban-service': ['ban', 'get-all-bans'] }, baseline, '0.2.3');
    expect(links).toMatchObject({
      ok: false,
      kind: 'capability-denied',
      message: 'capability denied: it imports infrarust:plugin/ban-service@0.2.3 (needs capability `ban`) for ban-service.ban, ban-service.get-all-bans. Grant it with permissions = ["ban"] in its [plugins.<id>] table.',
    });
    expect(decideLinks(imports, { 'infrarust:plugin/ban-service': ['ban'] }, with_('ban'), '0.2.3')).toMatchObject({ ok: true, linked: expect.arrayContaining(['ban-service']) });
  });
});

import { describe, expect, it, vi } from 'vitest';
import { CONTROL_METHODS, type ControlApi } from '../../shared/control-api';
import { checkCall, dispatch } from './call-validation';

describe('checkCall', () => {
  it('accepts every method with well-formed parameters', () => {
    expect(checkCall('snapshot', undefined)).toEqual({ ok: true, call: { method: 'snapshot', params: undefined } });
    expect(checkCall('listPlugins', null).ok).toBe(true);
    expect(checkCall('setPermission', { id: 'a', capability: 'ban', granted: true }).ok).toBe(true);
    expect(checkCall('removePlugin', { id: 'a' }).ok).toBe(true);
    expect(checkCall('removePlugin', { id: 'a', forgetConfig: false }).ok).toBe(true);
    expect(checkCall('deployPlugin', { name: 'a.wasm', data: 'AGFzbQ==', replace: true }).ok).toBe(true);
    expect(checkCall('tabComplete', { line: 'ban St' }).ok).toBe(true);
    expect(checkCall('examplePlugins', undefined).ok).toBe(true);
    expect(checkCall('installExample', { file: 'motd.wasm' }).ok).toBe(true);
    expect(checkCall('installExample', { file: 'motd.wasm', replace: true }).ok).toBe(true);
  });

  it.each([
    [123, undefined, 'unknown method 123'],
    ['constructor', undefined, 'unknown method "constructor"'],
    ['__proto__', {}, 'unknown method "__proto__"'],
    ['snapshot', {}, 'snapshot takes no parameters'],
    ['setEnabled', null, 'setEnabled: parameters must be an object'],
    ['setEnabled', [], 'setEnabled: parameters must be an object'],
    ['setEnabled', { id: 'a' }, 'setEnabled: missing parameter "enabled"'],
    ['setEnabled', { id: 'a', enabled: 1 }, 'setEnabled: "enabled" must be true or false'],
    ['setEnabled', { id: 'a', enabled: true, more: 1 }, 'setEnabled: unexpected parameter "more"'],
    ['setPermission', { id: 'a', capability: 'event-bus', granted: true }, 'setPermission: "capability" must be an opt-in capability'],
    ['setPermission', { id: 'a', capability: 'transport-filter', granted: true }, 'setPermission: "capability" must be an opt-in capability'],
    ['reloadPlugin', { id: 'x'.repeat(1001) }, 'reloadPlugin: "id" must be a string of at most 1000 characters'],
    ['deployPlugin', { name: 'a.wasm', data: 'AGFzbQ=' }, 'deployPlugin: "data" must be base64'],
    ['deployPlugin', { name: 'a.wasm', data: 42 }, 'deployPlugin: "data" must be base64'],
    ['setEnabled', { id: 'a', enabled: true, constructor: 1 }, 'setEnabled: unexpected parameter "constructor"'],
    ['setEnabled', { id: 'a', enabled: true, toString: 'x' }, 'setEnabled: unexpected parameter "toString"'],
    ['setEnabled', JSON.parse('{"id":"a","enabled":true,"__proto__":{"x":1}}'), 'setEnabled: unexpected parameter "__proto__"'],
    ['setEnabled', Object.assign(Object.create({ enabled: true }), { id: 'a' }), 'setEnabled: missing parameter "enabled"'],
    ['hasOwnProperty', undefined, 'unknown method "hasOwnProperty"'],
    ['runCommand', { line: { toString: 'x' } }, 'runCommand: "line" must be a string of at most 1000 characters'],
    ['examplePlugins', { all: true }, 'examplePlugins takes no parameters'],
    ['installExample', {}, 'installExample: missing parameter "file"'],
    ['installExample', { file: 7 }, 'installExample: "file" must be a file name'],
    ['installExample', { file: '../../etc/motd.wasm' }, 'installExample: "file" must be a plugin file name: its name holds a folder separator or a character file names cannot have'],
    ['installExample', { file: '/tmp/x.wasm' }, 'installExample: "file" must be a plugin file name: its name holds a folder separator or a character file names cannot have'],
    ['installExample', { file: 'motd.js' }, 'installExample: "file" must be a plugin file name: it is not a .wasm file'],
    ['installExample', { file: 'motd.wasm', data: 'AA==' }, 'installExample: unexpected parameter "data"'],
  ])('refuses %j %j', (method, params, error) => {
    expect(checkCall(method, params)).toEqual({ ok: false, error });
  });

  it('refuses a deploy (IPC) whose file is above 64 MiB before anything decodes it', () => {
    const largest = 'AAAA'.repeat(Math.ceil((64 * 1024 * 1024) / 3));
    expect(checkCall('deployPlugin', { name: 'a.wasm', data: largest })).toMatchObject({ ok: true });
    expect(checkCall('deployPlugin', { name: 'a.wasm', data: `${largest}AAAA` })).toEqual({ ok: false, error: 'deployPlugin: "data" must be base64 of at most 64 MiB' });
  });
});

describe('dispatch', () => {
  it('calls the method of the checked call with its parameters', async () => {
    const api = Object.fromEntries(CONTROL_METHODS.map((m) => [m, vi.fn().mockResolvedValue(m)])) as unknown as ControlApi;
    const check = checkCall('setEnabled', { id: 'a', enabled: false });
    if (!check.ok) throw new Error(check.error);
    await expect(dispatch(api, check.call)).resolves.toBe('setEnabled');
    expect(api.setEnabled).toHaveBeenCalledWith({ id: 'a', enabled: false });
  });
});

describe('checkCall: routes, players and the live view', () => {
  const route = { id: 'lobby', domains: ['lobby.test'], addresses: ['127.0.0.1:25566'], motd: '', maxPlayers: 0, disconnectMessage: '', proxyMode: 'offline', forwarding: 'none', forwardingSecret: '', create: true };

  it('accepts well-formed calls', () => {
    expect(checkCall('saveServer', route).ok).toBe(true);
    expect(checkCall('removeServer', { id: 'lobby' }).ok).toBe(true);
    expect(checkCall('messagePlayer', { id: '3', message: 'hi' }).ok).toBe(true);
    expect(checkCall('movePlayer', { id: '3', server: 'lobby' }).ok).toBe(true);
    expect(checkCall('banPlayer', { id: '3', by: 'ip', reason: 'x', durationMinutes: 60 }).ok).toBe(true);
    expect(checkCall('unban', { by: 'uuid', value: 'u' }).ok).toBe(true);
    expect(checkCall('liveHistory', undefined).ok).toBe(true);
  });

  it.each([
    ['saveServer', { ...route, domains: 'lobby.test' }, 'saveServer: "domains" must be a list of at most 64 strings of at most 1000 characters'],
    ['saveServer', { ...route, addresses: [1] }, 'saveServer: "addresses" must be a list of at most 64 strings of at most 1000 characters'],
    ['saveServer', { ...route, maxPlayers: -1 }, 'saveServer: "maxPlayers" must be a whole number ≥ 0'],
    ['saveServer', { ...route, maxPlayers: 1.5 }, 'saveServer: "maxPlayers" must be a whole number ≥ 0'],
    ['saveServer', { ...route, create: undefined }, 'saveServer: missing parameter "create"'],
    ['movePlayer', { id: '3' }, 'movePlayer: missing parameter "server"'],
    ['banPlayer', { id: '3', by: 'name' }, 'banPlayer: "by" must be one of username, uuid, ip'],
    ['banPlayer', { id: '3', by: 'ip', durationMinutes: '5' }, 'banPlayer: "durationMinutes" must be a whole number ≥ 0'],
    ['bans', { all: true }, 'bans takes no parameters'],
  ])('refuses %s %j', (method, params, error) => {
    expect(checkCall(method, params)).toEqual({ ok: false, error });
  });
});

describe('checkCall for the network calls', () => {
  it('accepts a ban by value, the network view and a command on one proxy or all', () => {
    expect(checkCall('ban', { by: 'username', value: 'Steve' }).ok).toBe(true);
    expect(checkCall('ban', { by: 'ip', value: '203.0.113.9', reason: 'x', durationMinutes: 60 }).ok).toBe(true);
    expect(checkCall('network', undefined).ok).toBe(true);
    expect(checkCall('runNetworkCommand', { line: 'reload', target: '*' }).ok).toBe(true);
  });

  it('refuses malformed ones', () => {
    expect(checkCall('ban', { by: 'name', value: 'Steve' })).toMatchObject({ ok: false });
    expect(checkCall('ban', { by: 'username' })).toEqual({ ok: false, error: 'ban: missing parameter "value"' });
    expect(checkCall('runNetworkCommand', { line: 'reload' })).toEqual({ ok: false, error: 'runNetworkCommand: missing parameter "target"' });
    expect(checkCall('network', { all: true })).toEqual({ ok: false, error: 'network takes no parameters' });
  });
});

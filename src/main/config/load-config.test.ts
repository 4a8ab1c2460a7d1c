import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, defaultHostConfig } from './config-defaults';
import { parseDurationMs } from './config-reader';
import { loadConfig, panelRequiresToken } from './load-config';
import type { ConfigWarning, HostConfig } from './types';

let cwd: string;
let file: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'load-config-'));
  file = join(cwd, 'infrarust.toml');
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function load(text: string): { config: HostConfig; warnings: ConfigWarning[] } {
  writeFileSync(file, text);
  const result = loadConfig({ cwd });
  if (!result.ok) throw new Error(`unexpected error: ${result.error.message}`);
  return { config: result.config, warnings: result.warnings };
}

function messages(text: string): string[] {
  return load(text).warnings.map((w) => w.message);
}

describe('defaults', () => {
  it('uses every default, without warnings, when the file is missing', () => {
    const result = loadConfig({ cwd });
    expect(result).toEqual({ ok: true, config: defaultHostConfig(cwd), warnings: [], text: null });
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      file: null,
      baseDir: cwd,
      pluginsDir: join(cwd, 'plugins'),
      plugins: {},
      wasm: { callTimeoutMs: 3000, enableTimeoutMs: 10000, memoryLimitMb: 64, logLinesPerSecond: 200 },
      proxy: {
        bind: '0.0.0.0:25565',
        serversDir: join(cwd, 'servers'),
        dataDir: join(cwd, 'data'),
        connectTimeoutMs: 5000,
        maxConnections: 1024,
        unknownDomainBehavior: 'default_motd',
        defaultMotd: { text: 'Unknown server', versionName: 'Infrarust', maxPlayers: 0 },
      },
      panel: { bind: '127.0.0.1:8787', token: null, tls: null },
    });
  });

  it('uses defaults for an empty file and reports the file and its text', () => {
    writeFileSync(file, '');
    const result = loadConfig({ cwd });
    expect(result).toEqual({ ok: true, config: { ...defaultHostConfig(cwd), file }, warnings: [], text: '' });
  });

  it('CONFIG_DEFAULTS written out as TOML loads back to the defaults without warnings', () => {
    const { config, warnings } = load(stringify(CONFIG_DEFAULTS));
    expect(warnings).toEqual([]);
    expect(config).toEqual({ ...defaultHostConfig(cwd), file });
  });

  it('warns, but starts, when an explicit config file is missing', () => {
    const result = loadConfig({ cwd, file: 'custom.toml' });
    expect(result.ok && result.config).toEqual(defaultHostConfig(cwd));
    expect(result.ok && result.warnings.map((w) => w.message)).toEqual([
      `${join(cwd, 'custom.toml')}: config file not found; using defaults`,
    ]);
  });
});

describe('values', () => {
  it('reads every key, resolving paths against the working directory', () => {
    mkdirSync(join(cwd, 'conf'));
    const custom = join(cwd, 'conf', 'my.toml');
    writeFileSync(
      custom,
      `plugins_dir = "pl"
bind = "[::]:25577"
servers_dir = "/abs/servers"
data_dir = "d"
connect_timeout = 2500
max_connections = 10
unknown_domain_behavior = "drop"

[default_motd]
text = "Nope"
version_name = "Proxy"
max_players = 20

[wasm]
call_timeout_ms = 100
enable_timeout_ms = 200
deadline_tick_ms = 5
memory_limit_mb = 4096
log_lines_per_second = 5
codec_cpu_budget_ms = 9

[wasm.quotas]
listeners = 10
commands = 2
tasks = 3
channels = 4
codec_filters = 5
limbo_handlers = 6
permission_nodes = 7

[panel]
bind = "0.0.0.0:9000"
token = "s3cret"
tls_cert = "tls/panel.crt"
tls_key = "/abs/panel.key"

[auth]
session_server = "http://127.0.0.1:8999/"

[ban]
provider = "hello"
check_timeout = "2s"

[permissions]
provider = "builtin"

[plugins.hello]
permissions = ["event-bus", "ban", "ban-provider"]
enabled = false
strict_capabilities = true

[plugins.hello.settings]
greeting = "hi"

[plugins.native_one]
path = "native/one.node"
`,
    );
    const result = loadConfig({ cwd, file: 'conf/my.toml' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.warnings).toEqual([]);
    expect(result.config).toEqual({
      file: custom,
      baseDir: cwd,
      pluginsDir: join(cwd, 'pl'),
      plugins: {
        hello: { permissions: ['event-bus', 'ban', 'ban-provider'], enabled: false, path: null, settings: { greeting: 'hi' }, strictCapabilities: true },
        native_one: { permissions: [], enabled: true, path: join(cwd, 'native', 'one.node'), settings: {}, strictCapabilities: false },
      },
      wasm: {
        callTimeoutMs: 100,
        enableTimeoutMs: 200,
        deadlineTickMs: 5,
        memoryLimitMb: 4096,
        logLinesPerSecond: 5,
        codecCpuBudgetMs: 9,
        quotas: { listeners: 10, commands: 2, tasks: 3, channels: 4, codecFilters: 5, limboHandlers: 6, permissionNodes: 7 },
      },
      proxy: {
        bind: '[::]:25577',
        serversDir: join('/abs/servers'),
        connectTimeoutMs: 2500,
        maxConnections: 10,
        unknownDomainBehavior: 'drop',
        defaultMotd: { text: 'Nope', versionName: 'Proxy', maxPlayers: 20 },
        dataDir: join(cwd, 'd'),
        sessionServer: 'http://127.0.0.1:8999',
        receiveProxyProtocol: false,
        trustedProxies: [],
      },
      panel: { bind: '0.0.0.0:9000', token: 's3cret', tls: { certFile: join(cwd, 'tls', 'panel.crt'), keyFile: join('/abs/panel.key') } },
      cluster: null,
      ban: { provider: 'hello', checkTimeoutMs: 2000 },
      permissions: { provider: null },
    });
  });

  it.each([
    ['"5s"', 5000],
    ['"500ms"', 500],
    ['"1.5s"', 1500],
    ['"1m"', 60000],
    ['750', 750],
  ])('accepts connect_timeout = %s', (value, ms) => {
    const { config, warnings } = load(`connect_timeout = ${value}\n`);
    expect(warnings).toEqual([]);
    expect(config.proxy.connectTimeoutMs).toBe(ms);
  });

  it('parses durations', () => {
    expect(parseDurationMs('2s')).toBe(2000);
    expect(parseDurationMs('2h')).toBe(7_200_000);
    expect(parseDurationMs('1h 30m')).toBe(5_400_000);
    expect(parseDurationMs('10 min')).toBe(600_000);
    expect(parseDurationMs('2 weeks')).toBeNull();
    expect(parseDurationMs(1.5)).toBeNull();
  });
});

describe('warnings', () => {
  it('name the file, the table and the key of a badly typed value, and fall back to the default', () => {
    const { config, warnings } = load('[wasm]\nmemory_limit_mb = "lots"\n');
    expect(config.wasm.memoryLimitMb).toBe(64);
    expect(warnings).toEqual([
      {
        message: `${file}: [wasm] memory_limit_mb: must be an integer from 1 to 4096; using 64`,
        table: 'wasm',
        key: 'memory_limit_mb',
      },
    ]);
  });

  it.each([
    ['[wasm]\ncall_timeout_ms = 0', `[wasm] call_timeout_ms: must be an integer from 1 to 600000; using 3000`],
    ['[wasm]\nenable_timeout_ms = 1.5', `[wasm] enable_timeout_ms: must be an integer from 1 to 600000; using 10000`],
    ['[wasm]\nmemory_limit_mb = 4097', `[wasm] memory_limit_mb: must be an integer from 1 to 4096; using 64`],
    ['[wasm]\nlog_lines_per_second = -1', `[wasm] log_lines_per_second: must be an integer from 1 to 1000000; using 200`],
    ['[wasm]\nfuel = 1', `[wasm] fuel: unknown key ignored`],
    ['wasm = 3', `wasm: must be a table; using defaults`],
    ['plugins_dir = ""', `plugins_dir: must be a non-empty string; using "./plugins"`],
    ['servers_dir = 1', `servers_dir: must be a non-empty string; using "./servers"`],
    ['data_dir = false', `data_dir: must be a non-empty string; using "./data"`],
    ['bind = "25565"', `bind: must be "host:port" (IPv6 as "[::1]:port"); using "0.0.0.0:25565"`],
    ['bind = "host:70000"', `bind: must be "host:port" (IPv6 as "[::1]:port"); using "0.0.0.0:25565"`],
    [
      'connect_timeout = "soon"',
      `connect_timeout: must be milliseconds from 1 to 600000 or a duration like "5s"; using 5000`,
    ],
    ['max_connections = 0', `max_connections: must be an integer from 1 to 1000000; using 1024`],
    ['unknown_domain_behavior = "kick"', `unknown_domain_behavior: must be "default_motd" or "drop"; using "default_motd"`],
    ['[default_motd]\ntext = 3', `[default_motd] text: must be a non-empty string; using "Unknown server"`],
    ['[default_motd]\nversion_name = []', `[default_motd] version_name: must be a non-empty string; using "Infrarust"`],
    ['[default_motd]\nmax_players = -1', `[default_motd] max_players: must be an integer from 0 to 2147483647; using 0`],
    ['[default_motd]\nicon = "x"', `[default_motd] icon: unknown key ignored`],
    ['[panel]\nbind = "nope"', `[panel] bind: must be "host:port" (IPv6 as "[::1]:port"); using "127.0.0.1:8787"`],
    ['[panel]\ntoken = ""', `[panel] token: must be a non-empty string; ignored`],
    ['[panel]\nport = 1', `[panel] port: unknown key ignored`],
    ['[panel]\ntls_cert = 3', `[panel] tls_cert: must be a file path; ignored`],
    ['[panel]\ntls_cert = "c.pem"', `[panel] tls_key: tls_cert and tls_key go together; serving plain HTTP`],
    ['[auth]\nsession_server = "sessionserver.mojang.com"', `[auth] session_server: must be an http:// or https:// URL; using "https://sessionserver.mojang.com"`],
    ['[auth]\nonline = true', `[auth] online: unknown key ignored`],
    ['motd = "x"', `motd: unknown top-level key ignored`],
    ['[servers]\na = 1', `servers: unknown table ignored`],
  ])('%j → %s', (text, warning) => {
    expect(messages(text)).toEqual([`${file}: ${warning}`]);
  });

  it('reports a non-loopback panel without a token', () => {
    const { config, warnings } = load('[panel]\nbind = "0.0.0.0:8787"\n');
    expect(config.panel.bind).toBe('0.0.0.0:8787');
    expect(warnings).toEqual([
      {
        message: `${file}: [panel] bind: panel bind 0.0.0.0:8787 is not loopback: a token is required`,
        table: 'panel',
        key: 'bind',
      },
    ]);
    expect(panelRequiresToken(config)).toBe(true);
  });

  it('treats every loopback form as local', () => {
    for (const bind of ['127.0.0.1:1', 'localhost:1', '[::1]:1', '127.5.6.7:1']) {
      expect(panelRequiresToken({ panel: { bind, token: null, tls: null } })).toBe(false);
    }
    expect(panelRequiresToken({ panel: { bind: '192.168.1.2:1', token: 't', tls: null } })).toBe(true);
  });
});

describe('plugins', () => {
  it('keeps baseline and opt-in capabilities and drops the rest with a warning each', () => {
    const { config, warnings } = load(
      '[plugins.hello]\npermissions = ["event-bus", "ban", "transport-filter", "flying", 7, "ban"]\n',
    );
    expect(config.plugins.hello!.permissions).toEqual(['event-bus', 'ban']);
    expect(warnings.map((w) => [w.message, w.table, w.key])).toEqual([
      [
        `${file}: [plugins.hello] permissions: "transport-filter" is never grantable through configuration; dropped`,
        'plugins.hello',
        'permissions',
      ],
      [
        `${file}: [plugins.hello] permissions: unknown capability "flying" for plugin hello; dropped`,
        'plugins.hello',
        'permissions',
      ],
      [`${file}: [plugins.hello] permissions: 7 is not a string; dropped`, 'plugins.hello', 'permissions'],
    ]);
  });

  it('falls back to the defaults of badly typed plugin keys', () => {
    const { config, warnings } = load(
      '[plugins.p]\npermissions = "ban"\nenabled = "yes"\npath = 3\ncolour = "red"\nsettings = "loud"\n',
    );
    expect(config.plugins.p).toEqual({ permissions: [], enabled: true, path: null, settings: {}, strictCapabilities: false });
    expect(warnings.map((w) => w.message)).toEqual([
      `${file}: [plugins.p] colour: unknown key ignored`,
      `${file}: [plugins.p] enabled: must be true or false; using true`,
      `${file}: [plugins.p] path: must be a non-empty string; ignored`,
      `${file}: [plugins.p] settings: must be a table of the plugin's own settings; ignored`,
      `${file}: [plugins.p] permissions: must be an array of strings; using []`,
    ]);
    expect(warnings.map((w) => [w.table, w.key])).toEqual([
      ['plugins.p', 'colour'],
      ['plugins.p', 'enabled'],
      ['plugins.p', 'path'],
      ['plugins.p', 'settings'],
      ['plugins.p', 'permissions'],
    ]);
  });

  it('ignores tables whose id is not a valid plugin id', () => {
    const { config, warnings } = load('[plugins."Bad Id"]\nenabled = true\n[plugins.-x]\n[plugins.ok-1_2]\n');
    expect(Object.keys(config.plugins)).toEqual(['ok-1_2']);
    expect(warnings).toEqual([
      {
        message: `${file}: [plugins."Bad Id"] plugin id must match ^[a-z0-9_][a-z0-9_-]*$; table ignored`,
        table: 'plugins.Bad Id',
      },
      {
        message: `${file}: [plugins.-x] plugin id must match ^[a-z0-9_][a-z0-9_-]*$; table ignored`,
        table: 'plugins.-x',
      },
    ]);
  });

  it('warns about plugins that are not tables', () => {
    expect(messages('[plugins]\nhello = 1\n')).toEqual([`${file}: [plugins.hello] must be a table; ignored`]);
    expect(messages('plugins = [1]\n')).toEqual([
      `${file}: plugins: must hold one [plugins.<id>] table per plugin; ignored`,
    ]);
  });
});

describe('errors', () => {
  it('reports where a broken file stops parsing', () => {
    writeFileSync(file, 'bind = "0.0.0.0:25565"\n[wasm]\ncall_timeout_ms = = 3\n');
    expect(loadConfig({ cwd })).toEqual({
      ok: false,
      error: { file, message: 'invalid value', line: 3, column: 19 },
    });
  });

  it('reports a file that cannot be read', () => {
    mkdirSync(file);
    const result = loadConfig({ cwd });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ file, line: null, column: null });
  });
});

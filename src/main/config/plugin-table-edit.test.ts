import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { removePluginTable, setPluginEnabled, setPluginPermissions } from './plugin-table-edit';

const DOC = `# Infrarust Desktop configuration
bind = "0.0.0.0:25565"   # where players connect

[wasm]
call_timeout_ms = 3000

# The hello plugin greets players.
[plugins.hello] # keep this comment
  enabled = true   # switched on
  permissions = [
    "event-bus", # events
    # needed for /ban
    "ban",
  ]

# Extra settings of hello.
[plugins.hello.greeting]
text = "hi"

# The bans plugin.
[plugins.bans]
path = "./native/bans.node"
`;

function plugin(text: string, id: string): Record<string, unknown> {
  return (parse(text).plugins as Record<string, Record<string, unknown>>)[id]!;
}

/** Asserts that only the bytes between `from` and `to` (markers in the original) changed. */
function expectOnlyChanged(before: string, after: string, from: string, to: string): void {
  const start = before.indexOf(from);
  const end = before.indexOf(to);
  expect(after.startsWith(before.slice(0, start))).toBe(true);
  expect(after.endsWith(before.slice(end))).toBe(true);
}

describe('setPluginEnabled', () => {
  it('replaces only the value, keeping indentation and the comment on the line', () => {
    const out = setPluginEnabled(DOC, 'hello', false);
    expect(out).toBe(DOC.replace('  enabled = true   # switched on', '  enabled = false   # switched on'));
  });

  it('adds the key after the last key line of the table when missing', () => {
    const out = setPluginEnabled(DOC, 'bans', false);
    expect(out).toBe(DOC.replace('path = "./native/bans.node"\n', 'path = "./native/bans.node"\nenabled = false\n'));
  });

  it('writes enabled = true explicitly rather than deleting anything', () => {
    const out = setPluginEnabled(DOC, 'bans', true);
    expect(plugin(out, 'bans')).toEqual({ path: './native/bans.node', enabled: true });
    expect(setPluginEnabled(out, 'bans', true)).toBe(out);
  });

  it('creates the table at the end of the file after one blank line', () => {
    const out = setPluginEnabled(DOC, 'new_one', false);
    expect(out).toBe(`${DOC}\n[plugins.new_one]\nenabled = false\n`);
  });

  it('does not stack blank lines when the file already ends with one', () => {
    expect(setPluginEnabled('a = 1\n\n', 'x', false)).toBe('a = 1\n\n[plugins.x]\nenabled = false\n');
  });

  it('creates the first table of an empty file without a leading blank line', () => {
    expect(setPluginEnabled('', 'x', false)).toBe('[plugins.x]\nenabled = false\n');
  });

  it('keeps a missing trailing newline missing', () => {
    expect(setPluginEnabled('a = 1', 'x', false)).toBe('a = 1\n\n[plugins.x]\nenabled = false');
    expect(setPluginEnabled('[plugins.x]\npath = "p"', 'x', false)).toBe('[plugins.x]\npath = "p"\nenabled = false');
    expect(setPluginEnabled('[plugins.x]\nenabled = true # c', 'x', false)).toBe('[plugins.x]\nenabled = false # c');
  });

  it('inserts right below the header when the table has no keys', () => {
    const text = '[plugins.x] # empty\n# permissions = ["ban"]\n\n[other]\nk = 1\n';
    expect(setPluginEnabled(text, 'x', false)).toBe(
      '[plugins.x] # empty\nenabled = false\n# permissions = ["ban"]\n\n[other]\nk = 1\n',
    );
  });

  it('handles quoted table names and quoted keys', () => {
    const text = `[plugins."my_plugin"]\n"enabled" = true\n[plugins.'lit']\n'enabled' = false\n`;
    const out = setPluginEnabled(setPluginEnabled(text, 'my_plugin', false), 'lit', true);
    expect(out).toBe(`[plugins."my_plugin"]\n"enabled" = false\n[plugins.'lit']\n'enabled' = true\n`);
  });

  it('handles spaces inside a table header', () => {
    expect(setPluginEnabled('[ plugins . x ]\nenabled = true\n', 'x', false)).toBe('[ plugins . x ]\nenabled = false\n');
  });

  it('is not fooled by table-like text inside multi-line strings', () => {
    const text = `motd = """\n[plugins.x]\nenabled = true\n"""\nnote = '''\n[plugins.x]'''\n`;
    const out = setPluginEnabled(text, 'x', false);
    expect(out).toBe(`${text}\n[plugins.x]\nenabled = false\n`);
  });

  it('edits dotted keys in the root and in a [plugins] table', () => {
    expect(setPluginEnabled('plugins.x.enabled = true # c\n', 'x', false)).toBe('plugins.x.enabled = false # c\n');
    expect(setPluginEnabled('plugins.x.path = "p"\nz = 1\n', 'x', false)).toBe(
      'plugins.x.path = "p"\nplugins.x.enabled = false\nz = 1\n',
    );
    expect(setPluginEnabled('[plugins]\nx.path = "p"\ny.enabled = true\n', 'x', false)).toBe(
      '[plugins]\nx.path = "p"\nx.enabled = false\ny.enabled = true\n',
    );
  });

  it('edits inline tables inside [plugins]', () => {
    expect(setPluginEnabled('[plugins]\nx = { enabled = true } # c\n', 'x', false)).toBe(
      '[plugins]\nx = { enabled = false } # c\n',
    );
    expect(setPluginEnabled('[plugins]\nx = { path = "p" }\n', 'x', false)).toBe(
      '[plugins]\nx = { path = "p", enabled = false }\n',
    );
    expect(setPluginEnabled('[plugins]\nx = {}\n', 'x', false)).toBe('[plugins]\nx = { enabled = false }\n');
    expect(setPluginEnabled('plugins.x = {\n  path = "p", # p\n}\n', 'x', false)).toBe(
      'plugins.x = {\n  path = "p", enabled = false, # p\n}\n',
    );
  });

  it('leaves sub-tables and arrays of tables of the plugin alone', () => {
    const text = '[plugins.x]\nenabled = true\n\n[[plugins.x.hooks]]\nname = "a"\n\n[[plugins.x.hooks]]\nname = "b"\n';
    const out = setPluginEnabled(text, 'x', false);
    expect(out).toBe(text.replace('enabled = true', 'enabled = false'));
  });

  it('creates [plugins.x] when only its sub-tables exist', () => {
    const out = setPluginEnabled('[plugins.x.sub]\na = 1\n', 'x', false);
    expect(out).toBe('[plugins.x.sub]\na = 1\n\n[plugins.x]\nenabled = false\n');
  });
});

describe('setPluginPermissions', () => {
  it('keeps the comments of the elements that stay in a multi-line array', () => {
    const out = setPluginPermissions(DOC, 'hello', ['event-bus', 'ban', 'limbo']);
    expect(out).toContain('  permissions = [\n    "event-bus", # events\n    # needed for /ban\n    "ban",\n    "limbo",\n  ]\n');
    expectOnlyChanged(DOC, out, '  permissions', '\n# Extra settings');
    expect(plugin(out, 'hello').permissions).toEqual(['event-bus', 'ban', 'limbo']);
  });

  it('drops a removed element with the comment lines above it', () => {
    const out = setPluginPermissions(DOC, 'hello', ['event-bus']);
    expect(out).toContain('  permissions = [\n    "event-bus", # events\n  ]\n');
    expectOnlyChanged(DOC, out, '  permissions', '\n# Extra settings');
  });

  it('follows the requested order', () => {
    const out = setPluginPermissions(DOC, 'hello', ['ban', 'event-bus']);
    expect(plugin(out, 'hello').permissions).toEqual(['ban', 'event-bus']);
    expect(out).toContain('    # needed for /ban\n    "ban",\n    "event-bus", # events\n');
  });

  it('collapses to [] when nothing and no comment remains', () => {
    const out = setPluginPermissions('[plugins.x]\npermissions = [\n  "ban",\n]\n', 'x', []);
    expect(out).toBe('[plugins.x]\npermissions = []\n');
  });

  it('keeps comments that do not belong to an element', () => {
    const text = '[plugins.x]\npermissions = [ # granted\n  "ban"\n  # add more here\n]\n';
    expect(setPluginPermissions(text, 'x', ['ban', 'limbo'])).toBe(
      '[plugins.x]\npermissions = [ # granted\n  "ban",\n  "limbo"\n  # add more here\n]\n',
    );
    expect(setPluginPermissions(text, 'x', [])).toBe('[plugins.x]\npermissions = [ # granted\n  # add more here\n]\n');
  });

  it('rewrites a single-line array, reusing the text of kept elements', () => {
    const text = "[plugins.x]\npermissions = ['ban', \"limbo\"] # c\n";
    expect(setPluginPermissions(text, 'x', ['ban', 'event-bus'])).toBe(
      "[plugins.x]\npermissions = ['ban', \"event-bus\"] # c\n",
    );
  });

  it('replaces a value of the wrong type with an array', () => {
    const out = setPluginPermissions('[plugins.x]\npermissions = "ban"\n', 'x', ['ban']);
    expect(out).toBe('[plugins.x]\npermissions = ["ban"]\n');
  });

  it('adds the key to an existing table and creates missing tables', () => {
    expect(setPluginPermissions(DOC, 'bans', ['ban'])).toBe(
      DOC.replace('path = "./native/bans.node"\n', 'path = "./native/bans.node"\npermissions = ["ban"]\n'),
    );
    expect(setPluginPermissions('', 'x', [])).toBe('[plugins.x]\npermissions = []\n');
  });

  it('edits arrays in dotted and inline forms', () => {
    expect(setPluginPermissions('plugins.x.permissions = ["ban"]\n', 'x', ['limbo'])).toBe(
      'plugins.x.permissions = ["limbo"]\n',
    );
    expect(setPluginPermissions('[plugins]\nx = { permissions = [] }\n', 'x', ['ban'])).toBe(
      '[plugins]\nx = { permissions = ["ban"] }\n',
    );
  });

  it('escapes strings that need it', () => {
    const out = setPluginPermissions('', 'x', ['we"ird\\one', 'tab\there']);
    expect(plugin(out, 'x').permissions).toEqual(['we"ird\\one', 'tab\there']);
  });

  it('preserves CRLF line endings everywhere', () => {
    const text = DOC.replace(/\n/g, '\r\n');
    for (const out of [
      setPluginPermissions(text, 'hello', ['limbo', 'event-bus']),
      setPluginPermissions(text, 'bans', ['ban']),
      setPluginEnabled(text, 'new', false),
      removePluginTable(text, 'hello'),
    ]) {
      expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    }
    expect(setPluginEnabled(text, 'hello', false)).toBe(text.replace('enabled = true ', 'enabled = false '));
  });
});

describe('removePluginTable', () => {
  it('removes the table, its sub-tables and the comments right above them', () => {
    const out = removePluginTable(DOC, 'hello');
    expect(out).toBe(`# Infrarust Desktop configuration
bind = "0.0.0.0:25565"   # where players connect

[wasm]
call_timeout_ms = 3000

# The bans plugin.
[plugins.bans]
path = "./native/bans.node"
`);
  });

  it('removes the last table without leaving blank lines behind', () => {
    const out = removePluginTable(DOC, 'bans');
    expect(out.endsWith('[plugins.hello.greeting]\ntext = "hi"\n')).toBe(true);
    expect(parse(out).plugins).toEqual({ hello: expect.any(Object) });
  });

  it('undoes a table created by an edit, byte for byte', () => {
    for (const original of ['a = 1\n', 'a = 1', DOC, DOC.replace(/\n/g, '\r\n'), '']) {
      const created = setPluginPermissions(original, 'fresh', ['ban']);
      expect(removePluginTable(created, 'fresh')).toBe(original);
    }
  });

  it('keeps a comment that opens the file', () => {
    expect(removePluginTable('# header\n[plugins.x]\nenabled = true\n', 'x')).toBe('# header\n');
  });

  it('removes dotted keys and inline tables', () => {
    expect(removePluginTable('a = 1\nplugins.x.enabled = true\nplugins.x.path = "p"\nb = 2\n', 'x')).toBe(
      'a = 1\nb = 2\n',
    );
    expect(removePluginTable('[plugins]\nx = { enabled = true } # c\ny = {}\n', 'x')).toBe('[plugins]\ny = {}\n');
    expect(removePluginTable('a = 1\nplugins.x.enabled = true', 'x')).toBe('a = 1');
  });

  it('returns the text unchanged when the plugin has no table', () => {
    expect(removePluginTable(DOC, 'absent')).toBe(DOC);
  });
});

describe('unsafe input', () => {
  const edits: [string, (text: string) => string][] = [
    ['setPluginEnabled', (t) => setPluginEnabled(t, 'x', false)],
    ['setPluginPermissions', (t) => setPluginPermissions(t, 'x', ['ban'])],
    ['removePluginTable', (t) => removePluginTable(t, 'x')],
  ];

  it.each(edits)('%s throws a clear error on a file that does not parse', (_, edit) => {
    expect(() => edit('[plugins.x]\nenabled = = true\n')).toThrow(/does not parse at line 2, column \d+/);
    expect(() => edit('[plugins.x]\nenabled = true\n[plugins.x]\n')).toThrow(/does not parse/);
  });

  it.each(edits)('%s refuses shapes it cannot edit safely', (_, edit) => {
    expect(() => edit('plugins = { x = { enabled = true } }\n')).toThrow(/inline table/);
    expect(() => edit('[[plugins]]\nid = "x"\n')).toThrow(/"plugins" is not a table/);
    expect(() => edit('[[plugins.x]]\nenabled = true\n')).toThrow(/plugins\.x is an array/);
    expect(() => edit('[plugins]\nx = 3\n')).toThrow(/plugins\.x is not a table/);
  });

  it('refuses a key written as a table', () => {
    expect(() => setPluginPermissions('[plugins.x]\npermissions.a = 1\n', 'x', [])).toThrow(
      /plugins\.x\.permissions is written as a table/,
    );
    expect(() => setPluginEnabled('[plugins.x.enabled]\na = 1\n', 'x', true)).toThrow(/cannot edit plugins\.x safely/);
  });
});

describe('weird plugin ids', () => {
  it.each(['a.b', 'with space', 'quo"te', 'back\\slash', 'ünïcode', 'UPPER', '', '1'])(
    'round-trips %j',
    (id) => {
      const base = 'a = 1\n[plugins.other]\nenabled = true\n';
      const created = setPluginPermissions(setPluginEnabled(base, id, false), id, ['ban']);
      expect(plugin(created, id)).toEqual({ enabled: false, permissions: ['ban'] });
      expect(plugin(created, 'other')).toEqual({ enabled: true });
      const toggled = setPluginEnabled(created, id, true);
      expect(plugin(toggled, id)).toEqual({ enabled: true, permissions: ['ban'] });
      expect(removePluginTable(toggled, id)).toBe(base);
    },
  );
});

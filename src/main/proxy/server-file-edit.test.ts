import { describe, expect, it } from 'vitest';
import { editServerFileText, newServerFileText, serverFieldsOf, type ServerFields } from './server-file-edit';
import { parseServerFile } from './server-file';
import { parse } from 'smol-toml';

const FIELDS: ServerFields = { domains: ['play.example.com'], addresses: ['10.0.0.5:25565'], motd: '', maxPlayers: 0, disconnectMessage: '', proxyMode: 'passthrough', forwarding: 'none', forwardingSecret: '' };

const HAND_WRITTEN = `# Survival: the main world.
domains = [
  "play.example.com", # the public name
  # players who remember the old name
  "old.example.com",
]
addresses = ["10.0.0.5:25565"]   # primary box
proxy_mode = "passthrough"
# shown when the box is down
disconnect_message = "Back soon"
custom_note = "kept"

# status answered by the proxy
[motd]
text = "Welcome"
version_name = "1.21" # shown in the list
`;

function fieldsOf(text: string): ServerFields {
  return serverFieldsOf(parse(text));
}

describe('newServerFileText', () => {
  it('writes Infrarust keys that the server file parser accepts, optional ones only when set', () => {
    const text = newServerFileText({ ...FIELDS, domains: ['a.test', '*.a.test'], motd: 'Hi "there"', maxPlayers: 20, disconnectMessage: 'down' });
    expect(text).toBe(
      'domains = ["a.test", "*.a.test"]\naddresses = ["10.0.0.5:25565"]\nproxy_mode = "passthrough"\nmotd = "Hi \\"there\\""\nmax_players = 20\ndisconnect_message = "down"\n',
    );
    const parsed = parseServerFile('a', '/s/a.toml', text);
    expect(parsed.ok && parsed.server).toMatchObject({ domains: ['a.test', '*.a.test'], maxPlayers: 20, motd: { text: 'Hi "there"' } });
    expect(newServerFileText(FIELDS)).toBe('domains = ["play.example.com"]\naddresses = ["10.0.0.5:25565"]\nproxy_mode = "passthrough"\n');
  });
});

describe('editServerFileText', () => {
  it('changes only what changed: comments, unknown keys and the other lines stay byte for byte', () => {
    const current = fieldsOf(HAND_WRITTEN);
    expect(current).toEqual({
      domains: ['play.example.com', 'old.example.com'],
      addresses: ['10.0.0.5:25565'],
      motd: 'Welcome',
      maxPlayers: 0,
      disconnectMessage: 'Back soon',
      proxyMode: 'passthrough',
      forwarding: 'none',
      forwardingSecret: '',
    });
    const out = editServerFileText(HAND_WRITTEN, { ...current, addresses: ['10.0.0.6:25566', '10.0.0.5:25565'] });
    expect(out).toBe(HAND_WRITTEN.replace('addresses = ["10.0.0.5:25565"]', 'addresses = ["10.0.0.6:25566", "10.0.0.5:25565"]'));
    expect(editServerFileText(HAND_WRITTEN, current)).toBe(HAND_WRITTEN);
  });

  it('switches the mode and forwarding in place, and drops the secret with velocity forwarding', () => {
    const velocity = editServerFileText(HAND_WRITTEN, { ...fieldsOf(HAND_WRITTEN), proxyMode: 'client_only', forwarding: 'velocity', forwardingSecret: 'k"ey' });
    expect(velocity).toContain('proxy_mode = "client_only"');
    expect(parseServerFile('s', '/s/s.toml', velocity)).toMatchObject({ ok: true, server: { proxyMode: 'client_only', forwarding: 'velocity', forwardingSecret: 'k"ey' } });
    const back = editServerFileText(velocity, { ...fieldsOf(velocity), proxyMode: 'passthrough', forwarding: 'none', forwardingSecret: '' });
    expect(back).toBe(HAND_WRITTEN);
    expect(newServerFileText({ ...FIELDS, proxyMode: 'offline', forwarding: 'bungeecord' })).toBe(
      'domains = ["play.example.com"]\naddresses = ["10.0.0.5:25565"]\nproxy_mode = "offline"\nforwarding = "bungeecord"\n',
    );
  });

  it('keeps the comments of array elements that stay, and drops only the removed element', () => {
    const out = editServerFileText(HAND_WRITTEN, { ...fieldsOf(HAND_WRITTEN), domains: ['play.example.com', 'new.example.com'] });
    expect(out).toContain('  "play.example.com", # the public name\n');
    expect(out).not.toContain('old.example.com');
    expect(fieldsOf(out).domains).toEqual(['play.example.com', 'new.example.com']);
    expect(out).toContain('# Survival: the main world.\n');
  });

  it('adds new keys after the last top-level key (before any table) and removes cleared ones', () => {
    const out = editServerFileText(HAND_WRITTEN, { ...fieldsOf(HAND_WRITTEN), maxPlayers: 50, disconnectMessage: '' });
    expect(out).not.toContain('disconnect_message');
    expect(out).toContain('# shown when the box is down\ncustom_note = "kept"\nmax_players = 50\n\n# status answered by the proxy\n[motd]');
    expect(parse(out).custom_note).toBe('kept');
  });

  it('edits the text of a [motd] table and keeps its other settings; clearing it switches the table off', () => {
    const renamed = editServerFileText(HAND_WRITTEN, { ...fieldsOf(HAND_WRITTEN), motd: 'Hello' });
    expect(renamed).toContain('[motd]\ntext = "Hello"\nversion_name = "1.21" # shown in the list\n');
    const off = editServerFileText(HAND_WRITTEN, { ...fieldsOf(HAND_WRITTEN), motd: '' });
    expect(off).toContain('version_name = "1.21" # shown in the list\nenabled = false\n');
    expect(fieldsOf(off).motd).toBe('');
    const on = editServerFileText(off, { ...fieldsOf(off), motd: 'Back' });
    expect(parse(on).motd).toEqual({ text: 'Back', version_name: '1.21', enabled: true });
  });

  it('a file with only a table gets its keys above the table; CRLF files stay CRLF', () => {
    const crlf = '# motd only\r\n[motd]\r\ntext = "x"\r\n';
    const out = editServerFileText(crlf, { ...FIELDS, motd: 'x' });
    expect(out).toBe('# motd only\r\ndomains = ["play.example.com"]\r\naddresses = ["10.0.0.5:25565"]\r\n\r\n[motd]\r\ntext = "x"\r\n');
    expect(parseServerFile('a', 'a.toml', out).ok).toBe(true);
  });

  it('refuses a file that does not parse (with line and column) and shapes it cannot edit safely', () => {
    expect(() => editServerFileText('domains = [\n', FIELDS)).toThrow(/does not parse at line 2, column 1/);
    const dotted = 'domains = ["a.test"]\naddresses = ["h:1"]\nmotd.text = "x"\n';
    expect(() => editServerFileText(dotted, { ...fieldsOf(dotted), motd: 'y' })).toThrow(/motd/);
    expect(editServerFileText(dotted, { ...fieldsOf(dotted), addresses: ['h:2'] })).toBe(dotted.replace('h:1', 'h:2'));
  });
});

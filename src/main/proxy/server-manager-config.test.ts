import { describe, expect, it } from 'vitest';
import { parseServerFile } from './server-file';

const parse = (extra: string) => parseServerFile('survival', '/srv/proxy/servers/survival.toml', `domains = ["s.test"]\naddresses = ["127.0.0.1:25566"]\n${extra}`);

describe('[server_manager] in a server file (Infrarust keys)', () => {
  it("reads Infrarust's local manager with its defaults; a relative working_dir is from the file's folder", () => {
    const r = parse('[server_manager]\ntype = "local"\ncommand = "java"\nargs = ["-jar", "paper.jar", "nogui"]\nworking_dir = "../survival"\n');
    expect(r).toMatchObject({ ok: true, warnings: [] });
    if (!r.ok) return;
    expect(r.server.manager).toEqual({
      type: 'local',
      command: 'java',
      args: ['-jar', 'paper.jar', 'nogui'],
      workingDir: '/srv/proxy/survival',
      readyPattern: 'For help, type "help"',
      startTimeoutMs: 60_000,
      shutdownTimeoutMs: 30_000,
      shutdownAfterMs: 0,
    });
  });

  it('durations are humantime strings or seconds', () => {
    const r = parse('[server_manager]\ntype = "local"\ncommand = "java"\nworking_dir = "/srv/s"\nready_pattern = "Done ("\nstart_timeout = "2m"\nshutdown_timeout = 10\nshutdown_after = "1h 30m"\n');
    expect(r.ok && r.server.manager).toMatchObject({ readyPattern: 'Done (', startTimeoutMs: 120_000, shutdownTimeoutMs: 10_000, shutdownAfterMs: 5_400_000 });
  });

  it('refuses a manager without command or working_dir, or with a bad duration, saying which key', () => {
    const r = parse('[server_manager]\ntype = "local"\nshutdown_after = "soon"\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.message)).toEqual([
      '`server_manager.command` is required: the executable to run (e.g. "java")',
      '`server_manager.working_dir` is required: the folder the server runs in',
      '`server_manager.shutdown_after` must be a duration like "30s", "10m" or "1h 30m" (a number is seconds)',
    ]);
    expect(r.errors[0]).toMatchObject({ line: 3, column: 1 });
  });

  it('warns about panel providers and unknown keys, and runs nothing for them', () => {
    const r = parse('[server_manager]\ntype = "pterodactyl"\napi_url = "https://panel"\napi_key = "k"\nserver_id = "x"\n');
    expect(r.ok && r.server.manager).toBeUndefined();
    expect(r.ok && r.warnings.map((w) => w.message)).toEqual(['server_manager type "pterodactyl" is not supported here (only "local"): the server is not managed']);
    const extra = parse('[server_manager]\ntype = "local"\ncommand = "java"\nworking_dir = "/s"\nrestart = true\n');
    expect(extra.ok && extra.warnings.map((w) => w.message)).toEqual(['unknown key `server_manager.restart` ignored']);
    expect(parse('[server_manager]\ntype = "docker"\n').ok).toBe(false);
  });

  it('[motd.<state>] tables give the MOTD per state, apart from the server\'s own motd', () => {
    const only = parse('[motd.starting]\ntext = "§eWarming up"\nversion_name = "Starting"\n[motd.crashed]\n');
    expect(only.ok && only.server.motd).toBeUndefined();
    expect(only.ok && only.server.managedMotds).toMatchObject({ starting: { text: '§eWarming up', versionName: 'Starting' }, crashed: { text: 'Server unavailable' } });
    const both = parse('[motd]\ntext = "Hello"\n[motd.sleeping]\ntext = "Zzz"\n');
    expect(both.ok && both.server.motd?.text).toBe('Hello');
    expect(both.ok && both.server.managedMotds.sleeping?.text).toBe('Zzz');
  });
});

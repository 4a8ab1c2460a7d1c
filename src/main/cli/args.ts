// Command-line parsing for `infrarust-desktop <command> [options]`.

export interface CliArgs {
  command: 'check' | 'serve' | 'help';
  config?: string;
  data?: string;
  json: boolean;
}

export const USAGE = `usage: infrarust-desktop <command> [options]

commands:
  check [--config PATH] [--json]   load the configuration and every plugin as the host would,
                                   print each plugin's state, run on-disable; exit 0 when every
                                   enabled plugin loaded, 1 otherwise
  serve [--config PATH] [--data DIR]
                                   run the host (plugins, proxy, headless panel) until SIGINT/SIGTERM

  --config PATH   infrarust.toml to read (default ./infrarust.toml; a missing file means defaults)
  --data DIR      run from DIR (created with an example configuration on first use)
  --json          one JSON document instead of text (check)`;

export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command !== 'check' && command !== 'serve') {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help', json: false };
    throw new Error(`unknown command "${command}"`);
  }
  const args: CliArgs = { command, json: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--config') args.config = value();
    else if (flag === '--data' && command === 'serve') args.data = value();
    else if (flag === '--json' && command === 'check') args.json = true;
    else throw new Error(`unknown option "${flag}" for ${command}`);
  }
  return args;
}

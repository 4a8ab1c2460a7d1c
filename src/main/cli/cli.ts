// Entry point of the `infrarust-desktop` command.
import { formatCheck, runCheck } from './check';
import { parseArgs, USAGE } from './args';
import { runServe } from './serve';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.command === 'check') {
    const report = await runCheck({ cwd: process.cwd(), config: args.config });
    process.stdout.write(`${args.json ? JSON.stringify(report, null, 2) : formatCheck(report, process.cwd())}\n`);
    return report.ok ? 0 : 1;
  }
  return runServe({ cwd: process.cwd(), config: args.config, data: args.data });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`infrarust-desktop: ${err.stack ?? err.message}\n`);
    process.exitCode = 1;
  },
);

// A managed server's output: the last lines in memory (what the panel and the console show) and a file
// under `<data>/server-logs/<id>.log`, rotated to `<id>.log.1` past 1 MiB. Both are bounded: a line is cut
// at 2000 characters, memory keeps 500 lines, disk at most two files.

import { createWriteStream, mkdirSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export const LOG_LINES_KEPT = 500;
const MAX_LINE_CHARS = 2000;
const MAX_LOG_FILE_BYTES = 1024 * 1024;

export class ServerLog {
  private readonly lines: string[] = [];
  private stream: WriteStream | undefined;
  private written = 0;
  private failed = false;
  readonly file: string;

  constructor(
    dir: string,
    id: string,
    private readonly onError: (message: string) => void,
  ) {
    this.file = join(dir, `${id}.log`);
  }

  /** One line (no newline); stamped with the time in the file. */
  add(line: string): void {
    const cut = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
    this.lines.push(cut);
    if (this.lines.length > LOG_LINES_KEPT) this.lines.splice(0, this.lines.length - LOG_LINES_KEPT);
    this.write(`${new Date().toISOString()} ${cut}\n`);
  }

  /** The last `n` lines kept in memory, oldest first. */
  tail(n = LOG_LINES_KEPT): string[] {
    return this.lines.slice(-n);
  }

  close(): void {
    this.stream?.end();
    this.stream = undefined;
  }

  private write(text: string): void {
    if (this.failed) return;
    try {
      if (!this.stream) this.open();
      if (this.written + text.length > MAX_LOG_FILE_BYTES) {
        this.close();
        renameSync(this.file, `${this.file}.1`);
        this.open();
      }
      this.written += Buffer.byteLength(text);
      this.stream!.write(text);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private open(): void {
    mkdirSync(join(this.file, '..'), { recursive: true });
    this.written = statSizeOrZero(this.file);
    this.stream = createWriteStream(this.file, { flags: 'a' });
    this.stream.on('error', (err) => this.fail(err));
  }

  /** A disk that refuses the file costs the file only: the lines stay in memory. */
  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.stream?.destroy();
    this.stream = undefined;
    this.onError(`cannot write ${this.file}: ${err.message}; its output is kept in memory only`);
  }
}

function statSizeOrZero(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

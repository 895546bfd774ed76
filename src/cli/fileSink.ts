/** A buffered, synchronous line writer to a file (trace files can hold millions of lines). */
import { closeSync, openSync, writeSync } from 'node:fs';

const FLUSH_CHARS = 1 << 16;

export class FileSink {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends text (a trace line with its "\n"). */
  readonly write = (text: string): void => {
    this.buffer.push(text);
    this.bufferedChars += text.length;
    if (this.bufferedChars >= FLUSH_CHARS) this.flush();
  };

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.bufferedChars = 0;
  }
}

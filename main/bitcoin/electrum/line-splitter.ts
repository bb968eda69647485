/**
 * Cuts a byte stream into newline-terminated lines. Works on bytes rather than decoded text so a
 * multi-byte UTF-8 character split across two TCP chunks is never mangled, and refuses to buffer
 * more than `maxLineBytes` so a server that never sends a newline cannot exhaust memory.
 */
export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`a line exceeded ${limit} bytes without a newline`);
    this.name = 'LineTooLongError';
  }
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Returns every line completed by `chunk`, without the newline; blank lines are dropped. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      const line = this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      if (line.length > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);
      const text = line.toString('utf8').trim();
      if (text !== '') lines.push(text);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.pendingBytes += rest.length;
      if (this.pendingBytes > this.maxLineBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        throw new LineTooLongError(this.maxLineBytes);
      }
      // Copy, so a small tail does not keep a whole large chunk alive.
      this.pending.push(Buffer.from(rest));
    }
    return lines;
  }
}

import net from 'node:net';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A deliberately dumb line client, independent of the wallet's own Electrum client. */
export class RawClient {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) !== -1) {
        this.lines.push(this.buffer.slice(0, nl));
        this.buffer = this.buffer.slice(nl + 1);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }
  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }
  send(payload: Json | string): void {
    this.socket.write((typeof payload === 'string' ? payload : JSON.stringify(payload)) + '\n');
  }
  async nextLine(timeoutMs = 1000): Promise<string> {
    const end = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.closed) throw new Error('closed');
      if (Date.now() > end) throw new Error('no line');
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 20);
      });
    }
    return this.lines.shift() as string;
  }
  async next(): Promise<Json> {
    return JSON.parse(await this.nextLine()) as Json;
  }
  async call(method: string, params: Json[] = []): Promise<Json> {
    this.send({ jsonrpc: '2.0', id: 1, method, params });
    const reply = (await this.next()) as { result?: Json; error?: { message: string } };
    if (reply.error) throw new Error(reply.error.message);
    return reply.result ?? null;
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

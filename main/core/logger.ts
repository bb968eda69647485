import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(scope: string): Logger;
}

/**
 * Field names that may never be written, whatever a caller passes: a last line of defence, since
 * services are written to log no secrets at all.
 */
const SECRET_FIELD = /pass|secret|mnemonic|words|seed|xprv|private|token|key/i;

export function createLogger(opts: { file?: string; scope?: string; echo?: boolean } = {}): Logger {
  let stream: fs.WriteStream | null = null;
  if (opts.file) {
    fs.mkdirSync(path.dirname(opts.file), { recursive: true });
    stream = fs.createWriteStream(opts.file, { flags: 'a', mode: 0o600 });
  }
  const write = (scope: string, level: LogLevel, msg: string, fields?: LogFields): void => {
    const clean: LogFields = {};
    for (const [k, v] of Object.entries(fields ?? {})) clean[k] = SECRET_FIELD.test(k) ? '[redacted]' : v;
    const line = JSON.stringify({ t: new Date().toISOString(), level, scope, msg, ...clean });
    stream?.write(line + '\n');
    if (opts.echo && level !== 'debug') process.stderr.write(line + '\n');
  };
  const make = (scope: string): Logger => ({
    debug: (m, f) => write(scope, 'debug', m, f),
    info: (m, f) => write(scope, 'info', m, f),
    warn: (m, f) => write(scope, 'warn', m, f),
    error: (m, f) => write(scope, 'error', m, f),
    child: (s) => make(scope ? `${scope}.${s}` : s),
  });
  return make(opts.scope ?? 'app');
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

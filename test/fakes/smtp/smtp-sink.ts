import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 (random port) that keeps what it receives, for tests of the
 * e-mail channel. It speaks plain SMTP without STARTTLS, so a client must not require TLS.
 *
 * Faults, applied to the next N mail transactions in order:
 * - `{ reply: 451 }` / `{ reply: 550 }`: refuse with that code, after the message data by
 *   default (`at: 'data'`), or at `at: 'rcpt'` / `at: 'mail'`;
 * - `{ drop: 'data' }`: read the whole message, then close the connection without a reply (the
 *   client cannot know whether it was delivered); `{ drop: 'mail' }`: close at MAIL FROM.
 *
 * @example
 * ```ts
 * const sink = await startSmtpSink();
 * sink.failNext(1, { reply: 451 });
 * // ... send twice ...
 * const [mail] = await sink.waitForMessages(1);
 * expect(mail.subject).toContain('ご注文');
 * await sink.close();
 * ```
 */

export type SmtpSinkFault =
  | { reply: number; message?: string; at?: 'mail' | 'rcpt' | 'data' }
  | { drop: 'mail' | 'data' };

export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  /** The message as received, CRLF line ends. */
  raw: string;
  /** Header lines as received, keyed by lower-case name; values not decoded. */
  rawHeaders: Map<string, string[]>;
  subject: string | undefined;
  messageId: string | undefined;
  from: string | undefined;
  to: string | undefined;
  text: string | undefined;
  html: string | undefined;
  /** The parsed message, for anything the fields above do not cover. */
  parsed: ParsedMail;
}

export interface SmtpSinkOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (over plain text: this is a test server). */
  auth?: { user: string; pass: string };
}

export interface SmtpSink {
  host: string;
  port: number;
  /** Every accepted message, in order of arrival. */
  messages: ReceivedMail[];
  /** Mail transactions seen, faulted ones included. */
  attempts: number;
  failNext(times: number, fault: SmtpSinkFault): void;
  clearFaults(): void;
  /** Resolves once at least `count` messages have been accepted; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function headerMap(raw: string): Map<string, string[]> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const map = new Map<string, string[]>();
  // Unfold continuation lines first (RFC 5322 §2.2.3).
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    map.set(name, [...(map.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  return map;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const faults: SmtpSinkFault[] = [];
  const active = new Map<string, SmtpSinkFault | null>();
  const waiters: (() => void)[] = [];
  const messages: ReceivedMail[] = [];
  let attempts = 0;

  const notify = () => waiters.splice(0).forEach((w) => w());

  const key = (session: SMTPServerSession) => `${session.id}:${session.transaction}`;

  // smtp-server gives handlers the session, not the socket; dropping a connection needs the
  // socket of that session's connection.
  const dropConnection = (session: SMTPServerSession) => {
    for (const connection of server.connections) {
      if (connection.id === session.id) connection._socket.destroy();
    }
  };

  const server: SMTPServer = new SMTPServer({
    name: 'smtp-sink.test',
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    // Close promptly in afterEach even when a client left a connection open.
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        return callback(null, { user: auth.username });
      }
      return callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onMailFrom(_address, session, callback) {
      attempts += 1;
      const fault = faults.shift() ?? null;
      active.set(key(session), fault);
      if (fault && 'drop' in fault && fault.drop === 'mail') return dropConnection(session);
      if (fault && 'reply' in fault && fault.at === 'mail') return callback(smtpError(fault.reply, fault.message ?? 'Refused by smtp-sink'));
      callback();
    },
    onRcptTo(_address, session, callback) {
      const fault = active.get(key(session));
      if (fault && 'reply' in fault && fault.at === 'rcpt') return callback(smtpError(fault.reply, fault.message ?? 'Refused by smtp-sink'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const fault = active.get(key(session));
        active.delete(key(session));
        if (fault && 'drop' in fault) return dropConnection(session);
        if (fault && 'reply' in fault) return callback(smtpError(fault.reply, fault.message ?? 'Refused by smtp-sink'));
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              envelope,
              raw,
              rawHeaders: headerMap(raw),
              subject: parsed.subject,
              messageId: parsed.messageId,
              from: parsed.from?.text,
              to: Array.isArray(parsed.to) ? parsed.to.map((t) => t.text).join(', ') : parsed.to?.text,
              text: parsed.text,
              html: parsed.html || undefined,
              parsed,
            });
            callback(null, 'OK: queued by smtp-sink');
            notify();
          },
          (err: unknown) => callback(smtpError(554, `smtp-sink could not parse the message: ${String(err)}`)),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages,
    get attempts() {
      return attempts;
    },
    failNext(times, fault) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    clearFaults() {
      faults.length = 0;
    },
    async waitForMessages(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`smtp-sink: expected ${count} messages, got ${messages.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return messages.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

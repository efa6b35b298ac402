import { createHash } from 'node:crypto';
import { createTransport, type NodemailerError, type SMTPSentMessageInfo, type Transporter } from 'nodemailer';
import { escapeHtml } from './html';

export interface EmailChannelOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). With `false` the transport still upgrades via STARTTLS when offered. */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds (port 587 in production). */
  requireTls?: boolean;
  user?: string;
  pass?: string;
  /** `"Sakura Goods" <support@desk.example>`. */
  from: string;
  replyTo?: string;
  /** Right-hand side of generated Message-IDs; defaults to the domain of `from`. */
  messageIdDomain?: string;
  /** TCP connect; default 10 s. */
  connectionTimeoutMs?: number;
  /** Wait for the server's 220 greeting; default 10 s. */
  greetingTimeoutMs?: number;
  /** Idle socket during the session; default 30 s. */
  socketTimeoutMs?: number;
  /** Whole send, connect to final reply; default 60 s. A job worker must not hang on a tarpit. */
  sendTimeoutMs?: number;
}

/** One e-mail: a composed message (subject, text, html, languages) plus where it goes. */
export interface EmailMessage {
  to: string | readonly string[];
  subject: string;
  text: string;
  /** An HTML fragment; it is wrapped in a minimal document here. */
  html?: string | null;
  languages?: readonly string[];
  templateId?: string | null;
  /**
   * The saga step's idempotency key. The Message-ID is derived from it, so a retried send
   * carries the same Message-ID and a duplicate delivery is recognisable (and collapsed by
   * most clients) as the same message.
   */
  idempotencyKey: string;
  /** Ticket reference for `X-Delivery-Desk-Ticket`; threads replies back to the ticket. */
  ticketRef: string;
  /** Overrides the channel's `replyTo` (e.g. a per-ticket reply address). */
  replyTo?: string | null;
}

export interface EmailSendResult {
  /** With angle brackets, as in the header: `<dd.3f2a…@desk.example>`. */
  messageId: string;
  accepted: string[];
  /** Recipients the server refused while accepting others; all refused is an error instead. */
  rejected: string[];
  /** The server's final reply, e.g. `250 OK: queued as 1234`. */
  response: string;
}

export type EmailErrorCode =
  /** 4xx reply: greylisting, mailbox busy, local error. */
  | 'smtp_transient'
  /** 5xx reply: unknown user, policy refusal, message rejected. */
  | 'smtp_permanent'
  | 'connection'
  | 'timeout'
  | 'auth'
  | 'tls'
  /** Refused before anything was sent (no recipient, bad header value). */
  | 'invalid_message'
  | 'unknown';

/**
 * The one error {@link EmailChannel.send} throws. Retry only when `retryable`. The message never
 * contains the recipient or the server's reply text (which often quotes the address): both
 * stay in fields so logs carry no personal data by accident.
 */
export class EmailSendError extends Error {
  override readonly name = 'EmailSendError';
  constructor(
    readonly code: EmailErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly details: { smtpCode?: number | null; smtpResponse?: string | null; command?: string | null } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const TICKET_REF = /^[A-Za-z0-9._:#/-]{1,128}$/;

/** Maps any nodemailer failure onto {@link EmailSendError}. Exported for tests. */
export function classifySmtpError(err: unknown): EmailSendError {
  if (err instanceof EmailSendError) return err;
  const e = (err ?? {}) as NodemailerError;
  const smtpCode = typeof e.responseCode === 'number' ? e.responseCode : deferredRecipientCode(e);
  const details = { smtpCode: smtpCode ?? null, smtpResponse: e.response ?? null, command: e.command ?? null };
  const options = { cause: err };
  // A refused STARTTLS carries the server's reply too (502 when not offered), but it is a
  // configuration problem, not a verdict on this message.
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS') return new EmailSendError('tls', 'SMTP TLS negotiation failed', false, details, options);
  if (smtpCode !== null && smtpCode !== undefined) {
    if (e.code === 'EAUTH') return new EmailSendError('auth', `SMTP authentication failed (${smtpCode})`, smtpCode < 500, details, options);
    if (smtpCode >= 400 && smtpCode < 500) return new EmailSendError('smtp_transient', `SMTP ${smtpCode} during ${e.command ?? 'send'}`, true, details, options);
    if (smtpCode >= 500) return new EmailSendError('smtp_permanent', `SMTP ${smtpCode} during ${e.command ?? 'send'}`, false, details, options);
  }
  switch (e.code) {
    case 'ETIMEDOUT':
    case 'EABORT':
      return new EmailSendError('timeout', 'SMTP send timed out', true, details, options);
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
    case 'EPROTOCOL':
      return new EmailSendError('connection', `SMTP connection failed (${e.code})`, true, details, options);
    case 'EAUTH':
    case 'ENOAUTH':
      return new EmailSendError('auth', 'SMTP authentication failed', false, details, options);
    case 'EENVELOPE':
    case 'EMESSAGE':
    case 'ECONFIG':
      return new EmailSendError('invalid_message', `SMTP refused the message before sending (${e.code})`, false, details, options);
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return new EmailSendError('timeout', 'SMTP send timed out', true, details, options);
  return new EmailSendError('unknown', 'SMTP send failed', false, details, options);
}

/** All recipients refused at RCPT TO: transient if any refusal was (the server may take them later). */
function deferredRecipientCode(e: NodemailerError): number | null {
  const codes = (e.rejectedErrors ?? []).map((r) => r.responseCode).filter((c): c is number => typeof c === 'number');
  if (codes.length === 0) return null;
  return codes.find((c) => c < 500) ?? codes[0]!;
}

function domainOf(address: string): string | null {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(address);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Sends e-mail over SMTP with nodemailer. A plain class: the lead's Nest provider builds it from
 * settings and closes it on shutdown.
 *
 * @example
 * ```ts
 * const email = new EmailChannel({ host: 'smtp.example.com', port: 587, secure: false, requireTls: true,
 *   user: 'desk', pass: secret, from: '"Sakura Goods" <support@desk.example>' });
 * const message = composeMessage('dnr.followup', params, ['ja', 'en']);
 * try {
 *   const sent = await email.send({ ...message, to: customer.email, idempotencyKey: step.key, ticketRef: ticket.number });
 *   // store sent.messageId on the ticket message
 * } catch (err) {
 *   if (err instanceof EmailSendError && err.retryable) throw err; // the job queue retries with backoff
 *   // otherwise mark the ticket message failed for an agent
 * }
 * ```
 */
export class EmailChannel {
  private readonly transporter: Transporter<SMTPSentMessageInfo>;
  private readonly messageIdDomain: string;
  private readonly sendTimeoutMs: number;

  constructor(private readonly options: EmailChannelOptions) {
    this.messageIdDomain = options.messageIdDomain ?? domainOf(options.from) ?? 'delivery-desk.invalid';
    this.sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
    this.transporter = createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      requireTLS: options.requireTls ?? false,
      auth: options.user ? { user: options.user, pass: options.pass ?? '' } : undefined,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      // One connection per message: the desk sends a few messages a minute, and a fresh session
      // means a dropped connection never poisons the next send.
      pool: false,
    });
  }

  /**
   * The Message-ID a send with this idempotency key carries: `<dd.` + 32 hex digits of
   * SHA-256(key) + `@domain>`. The key itself never appears in the header.
   */
  messageIdFor(idempotencyKey: string): string {
    const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
    return `<dd.${digest}@${this.messageIdDomain}>`;
  }

  /** @throws EmailSendError */
  async send(message: EmailMessage): Promise<EmailSendResult> {
    const to = (typeof message.to === 'string' ? [message.to] : [...message.to]).map((a) => a.trim()).filter(Boolean);
    if (to.length === 0) throw new EmailSendError('invalid_message', 'No recipient', false);
    if (!message.idempotencyKey) throw new EmailSendError('invalid_message', 'No idempotency key', false);
    // Refuse rather than encode: a CR/LF here would otherwise be a header-injection attempt.
    if (!TICKET_REF.test(message.ticketRef)) throw new EmailSendError('invalid_message', 'Ticket reference is not a plain token', false);

    const messageId = this.messageIdFor(message.idempotencyKey);
    const headers: Record<string, string> = { 'X-Delivery-Desk-Ticket': message.ticketRef };
    if (message.languages?.length) headers['Content-Language'] = message.languages.join(', ');
    if (message.templateId) headers['X-Delivery-Desk-Template'] = message.templateId;
    const replyTo = message.replyTo ?? this.options.replyTo;
    try {
      const info = await this.transporter.sendMail({
        from: this.options.from,
        to,
        replyTo: replyTo ?? undefined,
        subject: message.subject,
        text: message.text,
        html: message.html ? htmlDocument(message.subject, message.html, message.languages?.[0]) : undefined,
        messageId,
        headers,
        signal: AbortSignal.timeout(this.sendTimeoutMs),
      });
      return {
        messageId: info.messageId || messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
      };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  /** Connects and authenticates without sending; for a readiness check. @throws EmailSendError */
  async verify(): Promise<void> {
    try {
      await this.transporter.verify();
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  close(): void {
    this.transporter.close();
  }
}

function htmlDocument(subject: string, fragment: string, language: string | undefined): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(language ?? 'en')}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    `<body>\n${fragment}\n</body>`,
    '</html>',
  ].join('\n');
}

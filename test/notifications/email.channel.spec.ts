import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { EmailChannel, type EmailChannelOptions, EmailSendError } from '../../apps/delivery-desk/src/notifications/email.channel';
import { chooseLanguages } from '../../apps/delivery-desk/src/notifications/language';
import { composeMessage } from '../../apps/delivery-desk/src/notifications/message.composer';
import { TEMPLATE_SAMPLES } from '../../apps/delivery-desk/src/notifications/testing/template-params.factory';
import { type SmtpSink, startSmtpSink } from '../fakes/smtp/smtp-sink';

const FROM = '"Sakura Goods" <support@desk.example>';

describe(EmailChannel.name, () => {
  let sink: SmtpSink;
  let channels: EmailChannel[];

  beforeEach(async () => {
    sink = await startSmtpSink();
    channels = [];
  });

  afterEach(async () => {
    for (const c of channels) c.close();
    await sink.close();
  });

  function makeSut(options: Partial<EmailChannelOptions> = {}): EmailChannel {
    const channel = new EmailChannel({
      host: sink.host,
      port: sink.port,
      secure: false,
      from: FROM,
      replyTo: 'help@desk.example',
      connectionTimeoutMs: 1_000,
      greetingTimeoutMs: 1_000,
      socketTimeoutMs: 2_000,
      sendTimeoutMs: 5_000,
      ...options,
    });
    channels.push(channel);
    return channel;
  }

  const bilingual = () => {
    const params = { ...TEMPLATE_SAMPLES['dnr.received_ack_wait_advice'], customerName: '佐藤 花子' };
    return composeMessage('dnr.received_ack_wait_advice', params, chooseLanguages({ customerName: params.customerName, merchantDefault: 'en' }));
  };

  const email = (overrides: object = {}) => ({
    ...bilingual(),
    to: 'hanako@example.com',
    idempotencyKey: 'ticket:T-000123:step:2:email',
    ticketRef: 'T-000123',
    ...overrides,
  });

  it('delivers a two-language message with Japanese first, both bodies and the desk headers', async () => {
    const sut = makeSut();
    const message = bilingual();

    const result = await sut.send(email());

    const [mail] = await sink.waitForMessages(1);
    expect(result).toMatchObject({ accepted: ['hanako@example.com'], rejected: [], messageId: sut.messageIdFor('ticket:T-000123:step:2:email') });
    expect(result.response).toMatch(/^250 /);
    expect(mail!.envelope).toEqual({ from: 'support@desk.example', to: ['hanako@example.com'] });
    expect(mail!.subject).toBe(message.subject);
    expect(mail!.text).toContain('佐藤 花子 様');
    expect(mail!.text!.indexOf('佐藤 花子 様')).toBeLessThan(mail!.text!.indexOf('Hi 佐藤 花子,'));
    expect(mail!.text).toContain('■ 再発防止策');
    expect(mail!.html).toContain('<div lang="ja">');
    expect(mail!.html).toContain('<div lang="en">');
    expect(mail!.html).toMatch(/^<!DOCTYPE html>/);
    expect(mail!.rawHeaders.get('x-delivery-desk-ticket')).toEqual(['T-000123']);
    expect(mail!.rawHeaders.get('x-delivery-desk-template')).toEqual(['dnr.received_ack_wait_advice']);
    expect(mail!.rawHeaders.get('content-language')).toEqual(['ja, en']);
    expect(mail!.parsed.replyTo?.text).toBe('help@desk.example');
  });

  it('encodes the UTF-8 subject as an RFC 2047 encoded word, never raw', async () => {
    const sut = makeSut();

    await sut.send(email());

    const [mail] = await sink.waitForMessages(1);
    const [rawSubject] = mail!.rawHeaders.get('subject')!;
    expect(rawSubject).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(rawSubject).not.toMatch(/[^\x20-\x7e]/);
    expect(mail!.subject).toContain('【さくら商店】お荷物が届いていない件について');
  });

  it('sends the same Message-ID for the same idempotency key, and a new one for another', async () => {
    const sut = makeSut();

    const first = await sut.send(email());
    const retry = await sut.send(email());
    const other = await sut.send(email({ idempotencyKey: 'ticket:T-000123:step:5:email' }));

    const mails = await sink.waitForMessages(3);
    expect(mails.map((m) => m.messageId)).toEqual([first.messageId, first.messageId, other.messageId]);
    expect(retry.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
  });

  it('turns a 451 after DATA into a retryable error, and the retry gets through', async () => {
    const sut = makeSut();
    sink.failNext(1, { reply: 451, message: '4.3.0 Try again later' });

    const failure = sut.send(email());

    await expect(failure).rejects.toBeInstanceOf(EmailSendError);
    await expect(failure).rejects.toMatchObject({ code: 'smtp_transient', retryable: true, details: { smtpCode: 451 } });
    expect(sink.messages).toHaveLength(0);
    await expect(sut.send(email())).resolves.toMatchObject({ accepted: ['hanako@example.com'] });
    expect(sink.attempts).toBe(2);
  });

  it('turns a 550 after DATA into a permanent error', async () => {
    const sut = makeSut();
    sink.failNext(1, { reply: 550, message: '5.7.1 Message rejected' });

    await expect(sut.send(email())).rejects.toMatchObject({ code: 'smtp_permanent', retryable: false, details: { smtpCode: 550 } });
    expect(sink.messages).toHaveLength(0);
  });

  it.each([
    [451, 'smtp_transient', true],
    [550, 'smtp_permanent', false],
  ] as const)('classifies a %d at RCPT TO as %s', async (reply, code, retryable) => {
    const sut = makeSut();
    sink.failNext(1, { reply, at: 'rcpt' });

    await expect(sut.send(email())).rejects.toMatchObject({ code, retryable, details: { smtpCode: reply } });
  });

  it('keeps the recipients the server accepted when it refuses others', async () => {
    const sut = makeSut();
    sink.failNext(1, { reply: 550, at: 'rcpt' });
    // The fault covers the whole transaction, so both recipients are refused: all refused is an error.
    await expect(sut.send(email({ to: ['a@example.com', 'b@example.com'] }))).rejects.toMatchObject({ retryable: false });

    const result = await sut.send(email({ to: ['a@example.com', 'b@example.com'] }));

    expect(result.accepted).toEqual(['a@example.com', 'b@example.com']);
  });

  it('treats a connection dropped after the data as retryable', async () => {
    const sut = makeSut();
    sink.failNext(1, { drop: 'data' });

    await expect(sut.send(email())).rejects.toMatchObject({ code: 'connection', retryable: true });
  });

  it('treats a connection dropped at MAIL FROM as retryable', async () => {
    const sut = makeSut();
    sink.failNext(1, { drop: 'mail' });

    await expect(sut.send(email())).rejects.toMatchObject({ code: 'connection', retryable: true });
  });

  it('treats a refused connection as retryable', async () => {
    const closed = await startSmtpSink();
    const port = closed.port;
    await closed.close();
    const sut = makeSut({ port });

    await expect(sut.send(email())).rejects.toMatchObject({ code: 'connection', retryable: true });
  });

  describe('against a server that never greets', () => {
    let silent: Server;
    const sockets: Socket[] = [];

    beforeEach(async () => {
      silent = createServer((s) => sockets.push(s));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });

    afterEach(async () => {
      for (const s of sockets.splice(0)) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('gives up after the greeting timeout, retryably', async () => {
      const sut = makeSut({ port: (silent.address() as AddressInfo).port, greetingTimeoutMs: 200 });
      const started = Date.now();

      await expect(sut.send(email())).rejects.toMatchObject({ code: 'timeout', retryable: true });
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('gives up at the overall send deadline, retryably', async () => {
      const sut = makeSut({ port: (silent.address() as AddressInfo).port, greetingTimeoutMs: 10_000, sendTimeoutMs: 300 });
      const started = Date.now();

      await expect(sut.send(email())).rejects.toMatchObject({ code: 'timeout', retryable: true });
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });

  describe('with authentication', () => {
    let authSink: SmtpSink;

    beforeEach(async () => {
      authSink = await startSmtpSink({ auth: { user: 'desk', pass: 's3cret' } });
    });

    afterEach(async () => {
      await authSink.close();
    });

    it('logs in with user and pass', async () => {
      const sut = makeSut({ port: authSink.port, user: 'desk', pass: 's3cret' });

      await sut.send(email());

      await expect(authSink.waitForMessages(1)).resolves.toHaveLength(1);
    });

    it('reports bad credentials as a permanent auth error', async () => {
      const sut = makeSut({ port: authSink.port, user: 'desk', pass: 'wrong' });

      await expect(sut.send(email())).rejects.toMatchObject({ code: 'auth', retryable: false, details: { smtpCode: 535 } });
      expect(authSink.messages).toHaveLength(0);
    });
  });

  it('refuses to send in clear text when TLS is required and the server has no STARTTLS', async () => {
    const sut = makeSut({ requireTls: true });

    await expect(sut.send(email())).rejects.toMatchObject({ code: 'tls', retryable: false });
    expect(sink.messages).toHaveLength(0);
  });
});

import { classifySmtpError, EmailChannel, EmailSendError } from './email.channel';

describe(classifySmtpError.name, () => {
  const smtp = (code: string, responseCode?: number, extra: object = {}) =>
    Object.assign(new Error('smtp'), { code, responseCode, response: responseCode ? `${responseCode} text <a@b.example>` : undefined, ...extra });

  it.each([
    ['451 after DATA', smtp('EMESSAGE', 451, { command: 'DATA' }), 'smtp_transient', true],
    ['421 service closing', smtp('EPROTOCOL', 421), 'smtp_transient', true],
    ['452 mailbox full', smtp('EENVELOPE', 452), 'smtp_transient', true],
    ['550 unknown user', smtp('EENVELOPE', 550, { command: 'RCPT TO' }), 'smtp_permanent', false],
    ['554 rejected', smtp('EMESSAGE', 554), 'smtp_permanent', false],
    ['535 bad credentials', smtp('EAUTH', 535), 'auth', false],
    ['454 temporary auth failure', smtp('EAUTH', 454), 'auth', true],
    ['connection refused', smtp('ESOCKET'), 'connection', true],
    ['connection closed', smtp('ECONNECTION'), 'connection', true],
    ['DNS failure', smtp('EDNS'), 'connection', true],
    ['greeting timeout', smtp('ETIMEDOUT'), 'timeout', true],
    ['send aborted by the deadline', smtp('EABORT'), 'timeout', true],
    ['TLS failure', smtp('ETLS'), 'tls', false],
    ['STARTTLS refused with 502', smtp('ETLS', 502, { command: 'STARTTLS' }), 'tls', false],
    ['no recipients', smtp('EENVELOPE'), 'invalid_message', false],
    ['something else', new Error('boom'), 'unknown', false],
  ] as const)('%s → %s (retryable %p)', (_, err, code, retryable) => {
    const sut = classifySmtpError(err);

    expect(sut).toBeInstanceOf(EmailSendError);
    expect(sut).toMatchObject({ code, retryable });
  });

  it('treats all recipients refused as transient when any refusal was', () => {
    const err = smtp('EENVELOPE', undefined, {
      rejectedErrors: [Object.assign(new Error(), { responseCode: 550 }), Object.assign(new Error(), { responseCode: 450 })],
    });

    expect(classifySmtpError(err)).toMatchObject({ code: 'smtp_transient', retryable: true, details: { smtpCode: 450 } });
  });

  it('keeps the server reply out of the message, where logs would print it', () => {
    const sut = classifySmtpError(smtp('EENVELOPE', 550, { command: 'RCPT TO' }));

    expect(sut.message).toBe('SMTP 550 during RCPT TO');
    expect(sut.details.smtpResponse).toContain('a@b.example');
  });
});

describe(EmailChannel.name, () => {
  const options = { host: '127.0.0.1', port: 2525, secure: false, from: '"Sakura Goods" <support@desk.example>' };

  it('derives a stable Message-ID from the idempotency key, on the sender\u2019s domain', () => {
    const sut = new EmailChannel(options);
    const other = new EmailChannel(options);

    const id = sut.messageIdFor('ticket:T-1:step:3:email');

    expect(id).toMatch(/^<dd\.[0-9a-f]{32}@desk\.example>$/);
    expect(other.messageIdFor('ticket:T-1:step:3:email')).toBe(id);
    expect(sut.messageIdFor('ticket:T-1:step:4:email')).not.toBe(id);
    expect(id).not.toContain('T-1');
    sut.close();
    other.close();
  });

  it('uses the configured Message-ID domain when given', () => {
    const sut = new EmailChannel({ ...options, messageIdDomain: 'mail.desk.example' });

    expect(sut.messageIdFor('k')).toMatch(/@mail\.desk\.example>$/);
    sut.close();
  });

  it.each([
    ['no recipient', { to: [] }],
    ['a blank recipient', { to: '  ' }],
    ['no idempotency key', { idempotencyKey: '' }],
    ['a ticket reference with a line break', { ticketRef: 'T-1\r\nBcc: victim@example.com' }],
  ])('refuses %s before connecting', async (_, overrides) => {
    const sut = new EmailChannel(options);
    const message = { to: 'a@b.example', subject: 's', text: 't', idempotencyKey: 'k', ticketRef: 'T-1', ...overrides };

    await expect(sut.send(message)).rejects.toMatchObject({ code: 'invalid_message', retryable: false });
    sut.close();
  });
});

import { createHmac } from 'node:crypto';
import { easypostFixture, easypostFixtureBytes } from '../../../../test/fixtures/easypost/easypost-fixture';
import { signEasyPostWebhook, verifyEasyPostWebhook, EasyPostSignatureError, type EasyPostSignatureRejection } from './easypost.webhook';

/** EasyPost's official vector signs event-body.json WITHOUT the file's trailing newline. */
const fileBytes = easypostFixtureBytes('official/event-body.json');
const body = fileBytes.subarray(0, fileBytes.length - 1);
const vector: { secret: string; hmac_signature: string } = easypostFixture('official/webhook-test-vector.json');

function rejection(fn: () => unknown): EasyPostSignatureRejection | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof EasyPostSignatureError) return err.reason;
    throw err;
  }
}

describe(verifyEasyPostWebhook.name, () => {
  it('uses the official vector as published (3550 bytes, secret "sécret")', () => {
    expect(fileBytes.at(-1)).toBe(0x0a);
    expect(body.length).toBe(3550);
    expect(vector.secret).toBe('sécret');
    expect(vector.hmac_signature).toBe('hmac-sha256-hex=38f3f53c103713df81616a0a186d77141957323ec21d5fe9363db93840f527db');
  });

  it('accepts the official test vector and returns the parsed event', () => {
    const sut = verifyEasyPostWebhook(body, { 'x-hmac-signature': vector.hmac_signature }, vector.secret);

    expect(sut.description).toBe('tracker.updated');
    expect((sut.result as { weight: number }).weight).toBe(614.4);
  });

  it('finds the header whatever its case', () => {
    expect(rejection(() => verifyEasyPostWebhook(body, { 'X-Hmac-Signature': vector.hmac_signature }, vector.secret))).toBe('accepted');
  });

  it('normalises the secret to NFKD, so the NFD spelling verifies too', () => {
    const nfd = 'se\u0301cret';
    expect(nfd).not.toBe(vector.secret);

    expect(rejection(() => verifyEasyPostWebhook(body, { 'x-hmac-signature': vector.hmac_signature }, nfd))).toBe('accepted');
    expect(signEasyPostWebhook(body, vector.secret)).toBe(vector.hmac_signature);
  });

  it('accepts a string body with the same bytes', () => {
    expect(rejection(() => verifyEasyPostWebhook(body.toString('utf8'), { 'x-hmac-signature': vector.hmac_signature }, vector.secret))).toBe('accepted');
  });

  it.each<[string, () => unknown, EasyPostSignatureRejection]>([
    ['the file with its trailing newline', () => verifyEasyPostWebhook(fileBytes, { 'x-hmac-signature': vector.hmac_signature }, vector.secret), 'signature_mismatch'],
    [
      'one changed byte',
      () => {
        const tampered = Buffer.from(body);
        const at = tampered.indexOf('614.4');
        tampered[at] = '7'.charCodeAt(0);
        return verifyEasyPostWebhook(tampered, { 'x-hmac-signature': vector.hmac_signature }, vector.secret);
      },
      'signature_mismatch',
    ],
    ['a wrong secret', () => verifyEasyPostWebhook(body, { 'x-hmac-signature': vector.hmac_signature }, 'secret'), 'signature_mismatch'],
    ['the NFC-keyed digest', () => verifyEasyPostWebhook(body, { 'x-hmac-signature': nfcDigest() }, vector.secret), 'signature_mismatch'],
    ['a missing header', () => verifyEasyPostWebhook(body, { 'content-type': 'application/json' }, vector.secret), 'missing_signature'],
    ['a bare hex header without the prefix', () => verifyEasyPostWebhook(body, { 'x-hmac-signature': vector.hmac_signature.split('=')[1] }, vector.secret), 'malformed_signature'],
    ['an upper-case hex digest', () => verifyEasyPostWebhook(body, { 'x-hmac-signature': `hmac-sha256-hex=${vector.hmac_signature.split('=')[1].toUpperCase()}` }, vector.secret), 'malformed_signature'],
    ['an empty header', () => verifyEasyPostWebhook(body, { 'x-hmac-signature': '' }, vector.secret), 'malformed_signature'],
    ['two signature headers', () => verifyEasyPostWebhook(body, { 'x-hmac-signature': [vector.hmac_signature, vector.hmac_signature] }, vector.secret), 'malformed_signature'],
    ['no configured secret', () => verifyEasyPostWebhook(body, { 'x-hmac-signature': vector.hmac_signature }, ''), 'missing_secret'],
    ['a parsed object instead of raw bytes', () => verifyEasyPostWebhook(JSON.parse(body.toString()) as never, { 'x-hmac-signature': vector.hmac_signature }, vector.secret), 'invalid_body'],
  ])('rejects %s', (_label, fn, reason) => {
    expect(rejection(fn)).toBe(reason);
  });

  it('accepts what the official Node client accepts for an integer weight (signed as N.0)', () => {
    const integerWeight = Buffer.from('{"id":"evt_2","object":"Event","description":"tracker.updated","created_at":"2024-08-02T19:26:52.000Z","result":{"weight":136,"object":"Tracker"}}');
    const signedAsFloat = signEasyPostWebhook(integerWeight.toString().replace('"weight":136', '"weight":136.0'), 'sécret');
    const signedAsIs = signEasyPostWebhook(integerWeight, 'sécret');

    expect(rejection(() => verifyEasyPostWebhook(integerWeight, { 'x-hmac-signature': signedAsFloat }, 'sécret'))).toBe('accepted');
    expect(rejection(() => verifyEasyPostWebhook(integerWeight, { 'x-hmac-signature': signedAsIs }, 'sécret'))).toBe('accepted');
  });
});

function nfcDigest(): string {
  // What a verifier that skipped NFKD would compute (easypost.md: 7f1669d6…).
  return 'hmac-sha256-hex=' + createHmac('sha256', Buffer.from('sécret'.normalize('NFC'))).update(body).digest('hex');
}

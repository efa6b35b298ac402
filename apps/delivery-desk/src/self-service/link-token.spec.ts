import { signLinkToken, verifyLinkToken } from './link-token';

const secret = 'unit-secret-0123456789abcdef0123456789';
const payload = { l: '6f1c2a4e-8d8b-4f57-9a55-2f0f3e9c0a11', m: '0b7c5a9e-1e1f-4c2b-8a8e-7d6c5b4a3f21' };

describe('link tokens', () => {
  it('verifies what it signed, in a token short enough for a URL path segment', () => {
    const token = signLinkToken(secret, payload);
    expect(verifyLinkToken(secret, token)).toEqual(payload);
    expect(token.length).toBeLessThanOrEqual(100);
  });

  it('refuses a token signed with another secret, a changed payload, a changed signature, and junk', () => {
    const token = signLinkToken(secret, payload);
    const [body, sig] = token.split('.');
    const bytes = Buffer.from(body, 'base64url');
    bytes[20] ^= 1;
    const other = bytes.toString('base64url');
    expect(verifyLinkToken('another-secret-0123456789abcdef0123', token)).toBeNull();
    expect(verifyLinkToken(secret, `${other}.${sig}`)).toBeNull();
    expect(verifyLinkToken(secret, `${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(verifyLinkToken(secret, body)).toBeNull();
    expect(verifyLinkToken(secret, 'a.b.c')).toBeNull();
    expect(verifyLinkToken(secret, '')).toBeNull();
  });
});

import { CredentialCipher, CredentialCipherError } from './credential-cipher';

const k1 = Buffer.alloc(32, 1).toString('base64');
const k2 = Buffer.alloc(32, 2).toString('base64');

function flipByte(envelope: string, index: number): string {
  const [v, id, data] = envelope.split(':') as [string, string, string];
  const bytes = Buffer.from(data, 'base64');
  bytes[index] = bytes[index]! ^ 0x01;
  return `${v}:${id}:${bytes.toString('base64')}`;
}

describe(CredentialCipher.name, () => {
  const sut = new CredentialCipher({ currentKeyId: 'k1', keys: { k1 } });

  it('round-trips text, unicode included', () => {
    const secret = 'sk_live_秘密_🔑';

    expect(sut.decrypt(sut.encrypt(secret, 'merchant:42:ups'), 'merchant:42:ups')).toBe(secret);
  });

  it('writes v1:<keyId>:<base64(iv ‖ tag ‖ ciphertext)> with a fresh iv every time', () => {
    const a = sut.encrypt('same');
    const b = sut.encrypt('same');

    expect(a).toMatch(/^v1:k1:[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.split(':')[2]!, 'base64')).toHaveLength(12 + 16 + 4);
    expect(a).not.toBe(b);
  });

  it.each([
    ['the iv', 0],
    ['the tag', 12],
    ['the ciphertext', 28],
  ])('detects a flipped bit in %s', async (_part, index) => {
    const envelope = flipByte(sut.encrypt('secret'), index);

    await expect(async () => sut.decrypt(envelope)).rejects.toMatchObject({ code: 'authentication_failed' });
  });

  it('refuses to open with the wrong context', async () => {
    const envelope = sut.encrypt('secret', 'merchant:42:ups');

    await expect(async () => sut.decrypt(envelope, 'merchant:43:ups')).rejects.toMatchObject({ code: 'authentication_failed' });
  });

  it('refuses to open with a different key under the same id', async () => {
    const other = new CredentialCipher({ currentKeyId: 'k1', keys: { k1: k2 } });

    await expect(async () => other.decrypt(sut.encrypt('secret'))).rejects.toMatchObject({ code: 'authentication_failed' });
  });

  it('refuses an envelope whose key id was edited to another configured key', async () => {
    const both = new CredentialCipher({ currentKeyId: 'k1', keys: { k1, k2 } });
    const edited = both.encrypt('secret').replace('v1:k1:', 'v1:k2:');

    await expect(async () => both.decrypt(edited)).rejects.toMatchObject({ code: 'authentication_failed' });
  });

  it('says which key is missing rather than failing authentication', async () => {
    const envelope = new CredentialCipher({ currentKeyId: 'k2', keys: { k2 } }).encrypt('secret');

    await expect(async () => sut.decrypt(envelope)).rejects.toMatchObject({ code: 'unknown_key' });
  });

  it.each(['', 'plain text', 'v2:k1:AAAA', 'v1:k1:not*base64', 'v1:k1:AAAA', 'v1:bad id:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'])(
    'rejects the malformed envelope %j',
    async (envelope) => {
      await expect(async () => sut.decrypt(envelope)).rejects.toMatchObject({ code: 'malformed' });
    },
  );

  describe('rotation', () => {
    const before = new CredentialCipher({ currentKeyId: 'k1', keys: { k1 } });
    const after = new CredentialCipher({ currentKeyId: 'k2', keys: { k1, k2 } });

    it('opens envelopes sealed with an older key and seals new ones with the current key', () => {
      const old = before.encrypt('secret', 'ctx');

      expect(after.decrypt(old, 'ctx')).toBe('secret');
      expect(after.keyIdOf(after.encrypt('x'))).toBe('k2');
    });

    it('re-encrypts an old envelope under the current key', () => {
      const old = before.encrypt('secret', 'ctx');

      const rotated = after.reencrypt(old, 'ctx');

      expect(after.needsRotation(old)).toBe(true);
      expect(after.needsRotation(rotated)).toBe(false);
      expect(after.decrypt(rotated, 'ctx')).toBe('secret');
    });
  });

  describe('configuration', () => {
    it('reads id:base64 pairs, the first being current', () => {
      const cipher = CredentialCipher.fromEnv(` k2:${k2}, k1:${k1} `);

      expect(cipher.currentKeyId).toBe('k2');
      expect(cipher.decrypt(new CredentialCipher({ currentKeyId: 'k1', keys: { k1 } }).encrypt('s'))).toBe('s');
    });

    it('lets the current key be named explicitly', () => {
      expect(CredentialCipher.fromEnv(`k2:${k2},k1:${k1}`, 'k1').currentKeyId).toBe('k1');
    });

    it.each([
      ['a 16-byte key', { currentKeyId: 'k1', keys: { k1: Buffer.alloc(16).toString('base64') } }],
      ['a key with junk characters', { currentKeyId: 'k1', keys: { k1: `${k1.slice(0, 10)}!${k1.slice(10)}` } }],
      ['a current key that is not configured', { currentKeyId: 'k9', keys: { k1 } }],
      ['a key id with a colon', { currentKeyId: 'a:b', keys: { 'a:b': k1 } }],
    ])('refuses %s', async (_label, config) => {
      await expect(async () => new CredentialCipher(config)).rejects.toMatchObject({ code: 'bad_key' });
    });

    it.each(['', 'k1', `k1:${k1},k1:${k2}`])('refuses the key list %j', async (value) => {
      await expect(async () => CredentialCipher.fromEnv(value)).rejects.toBeInstanceOf(CredentialCipherError);
    });

    it('generates 32-byte keys it accepts', () => {
      expect(() => new CredentialCipher({ currentKeyId: 'new', keys: { new: CredentialCipher.generateKey() } })).not.toThrow();
    });
  });
});

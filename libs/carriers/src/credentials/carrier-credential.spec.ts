import {
  generateWebhookToken,
  openCarrierCredentials,
  parseCarrierCredentials,
  redactCarrierCredentials,
  sealCarrierCredentials,
  type UpsCredentials,
} from './carrier-credential';
import { CredentialCipher } from './credential-cipher';

const cipher = new CredentialCipher({ currentKeyId: 'k1', keys: { k1: Buffer.alloc(32, 7).toString('base64') } });
const ups: UpsCredentials = {
  carrier: 'ups',
  clientId: 'cid-123456',
  clientSecret: 'csecret-abcdef',
  accountNumber: 'A1B2C3',
  webhookToken: 'whk-zyxwvu',
};

describe('carrier credentials', () => {
  it('seals and opens a merchant\'s UPS credentials', () => {
    const envelope = sealCarrierCredentials(cipher, 'm_42', ups);

    expect(envelope).not.toContain('csecret');
    expect(openCarrierCredentials(cipher, 'm_42', 'ups', envelope)).toEqual(ups);
  });

  it('round-trips EasyPost credentials', () => {
    const easypost = { carrier: 'easypost' as const, apiKey: 'EZAK_live', webhookSecret: 'sécret' };

    expect(openCarrierCredentials(cipher, 'm_42', 'easypost', sealCarrierCredentials(cipher, 'm_42', easypost))).toEqual(easypost);
  });

  it('will not open another merchant\'s envelope', async () => {
    const envelope = sealCarrierCredentials(cipher, 'm_42', ups);

    await expect(async () => openCarrierCredentials(cipher, 'm_43', 'ups', envelope)).rejects.toMatchObject({ code: 'authentication_failed' });
  });

  it('will not open UPS credentials as EasyPost ones', async () => {
    const envelope = sealCarrierCredentials(cipher, 'm_42', ups);

    await expect(async () => openCarrierCredentials(cipher, 'm_42', 'easypost', envelope)).rejects.toMatchObject({ code: 'authentication_failed' });
  });

  it('refuses incomplete credentials, naming the missing fields', async () => {
    await expect(async () => parseCarrierCredentials({ carrier: 'ups', clientId: 'x', clientSecret: ' ' })).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: expect.stringContaining('clientSecret, accountNumber, webhookToken'),
    });
  });

  it('refuses an unknown carrier', async () => {
    await expect(async () => parseCarrierCredentials({ carrier: 'fedex' })).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('drops fields it does not know', () => {
    expect(parseCarrierCredentials({ ...ups, password: 'hunter2' })).toEqual(ups);
  });

  it('redacts secrets to their last four characters', () => {
    expect(redactCarrierCredentials(ups)).toEqual({ carrier: 'ups', clientId: '…3456', clientSecret: '…cdef', accountNumber: 'A1B2C3', webhookToken: '…xwvu' });
  });

  it('generates distinct 256-bit webhook tokens', () => {
    const a = generateWebhookToken();

    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateWebhookToken()).not.toBe(a);
  });
});

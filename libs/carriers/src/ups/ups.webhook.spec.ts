import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CarrierError } from '../carrier.error';
import { parseUpsTrackAlertWebhook, verifyUpsTrackAlertCredential } from './ups.webhook';

const raw = readFileSync(join(__dirname, '../../../../test/fixtures/ups/track-alert-delivered-photo.json'), 'utf8');
const token = 'whk_3Jq9w1m0cYb2nR7e';

describe('verifyUpsTrackAlertCredential', () => {
  it('accepts the credential UPS echoes, whatever the header case', () => {
    expect(verifyUpsTrackAlertCredential({ credential: token }, token)).toBe(true);
    expect(verifyUpsTrackAlertCredential({ Credential: token }, token)).toBe(true);
  });

  it.each([
    ['a wrong credential', { credential: 'whk_wrong' }],
    ['a prefix of the credential', { credential: token.slice(0, -1) }],
    ['no credential header', { 'user-agent': 'UPSPubSubTrackingService' }],
    ['a repeated header', { credential: [token, token] }],
  ])('rejects %s', (_label, headers) => {
    expect(verifyUpsTrackAlertCredential(headers, token)).toBe(false);
  });

  it('rejects everything when the merchant has no token configured', () => {
    expect(verifyUpsTrackAlertCredential({ credential: '' }, '')).toBe(false);
  });
});

describe('parseUpsTrackAlertWebhook', () => {
  it('verifies and maps a raw body', () => {
    const update = parseUpsTrackAlertWebhook({ headers: { credential: token }, body: Buffer.from(raw), expectedCredential: token });

    expect(update).toMatchObject({ trackingCode: '1Z204W4R0308071865', status: 'delivered', proofOfDelivery: { signedBy: 'John' } });
  });

  it('rejects a push without the credential before reading the body', async () => {
    const act = async () => parseUpsTrackAlertWebhook({ headers: {}, body: 'not even json', expectedCredential: token });

    await expect(act()).rejects.toMatchObject({ code: 'unauthorized', retryable: false });
  });

  it('rejects a body that is not JSON', async () => {
    const act = async () => parseUpsTrackAlertWebhook({ headers: { credential: token }, body: '{"trackingNumber":', expectedCredential: token });

    await expect(act()).rejects.toBeInstanceOf(CarrierError);
    await expect(act()).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

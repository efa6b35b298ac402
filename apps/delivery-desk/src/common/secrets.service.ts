import { Inject, Injectable } from '@nestjs/common';
import { CredentialCipher } from '@app/carriers';
import { SETTINGS, Settings } from '../config/settings';

/**
 * Seals secrets kept in the database (platform webhook secrets, carrier credentials) with
 * SECRETS_KEY. A `context` (e.g. the merchant id) is authenticated with the ciphertext, so a sealed
 * value copied to another merchant's row does not open.
 */
@Injectable()
export class SecretsService {
  readonly cipher: CredentialCipher;

  constructor(@Inject(SETTINGS) settings: Settings) {
    this.cipher = new CredentialCipher({ currentKeyId: 'k1', keys: { k1: settings.secretsKey.toString('base64') } });
  }

  seal(plain: string, context: string): string {
    return this.cipher.encrypt(plain, context);
  }

  open(sealed: string, context: string): string {
    return this.cipher.decrypt(sealed, context);
  }
}

/** The context platform webhook secrets are sealed under. */
export const platformSecretContext = (merchantId: string) => `platform-webhook:${merchantId}`;

/**
 * Enumerations shared by the policy engine and the service's stored data. The service's
 * database columns hold exactly these values, so facts can be gathered without translation.
 */

/** How the order was placed (FTC Mail Order Rule covers all remote channels). */
export const ORDER_CHANNELS = ['web', 'phone', 'fax', 'mail'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

/** How the buyer paid. `seller_credit` means the seller itself is the creditor (FTC one-billing-cycle refunds). */
export const PAYMENT_METHOD_KINDS = [
  'credit_card',
  'debit_card',
  'wallet',
  'bank_transfer',
  'cash_on_delivery',
  'store_credit',
  'seller_credit',
  'gift_card',
  'other',
] as const;
export type PaymentMethodKind = (typeof PAYMENT_METHOD_KINDS)[number];

/** Flags on an order line that change what may be done with it. */
export interface LineFlags {
  perishable: boolean;
  alcohol: boolean;
  /** Hazardous material, including lithium batteries. */
  hazmat: boolean;
  personalized: boolean;
  finalSale: boolean;
}

/** Signature options a shipment can carry. */
export const SIGNATURE_OPTIONS = ['none', 'signature', 'adult_signature'] as const;
export type SignatureOption = (typeof SIGNATURE_OPTIONS)[number];

/** Languages customers and agents use. */
export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

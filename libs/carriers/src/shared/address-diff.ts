import type { PostalAddress } from '../carrier.model';

const ADDRESS_FIELDS = ['street1', 'street2', 'city', 'state', 'zip', 'country'] as const;

/**
 * Which address lines a verifier changed, ignoring case, spacing and an added ZIP+4: those are
 * formatting, not corrections a customer needs to confirm.
 *
 * @example
 * ```ts
 * addressChanges({ ...a, street1: '417 Montgomery Street' }, { ...a, street1: '417 MONTGOMERY ST' }); // ['street1']
 * ```
 */
export function addressChanges(input: PostalAddress, verified: PostalAddress): string[] {
  const norm = (v: string | undefined) => (v ?? '').trim().replace(/\s+/g, ' ').toUpperCase();
  return ADDRESS_FIELDS.filter((field) => {
    const a = norm(input[field]);
    const b = norm(verified[field]);
    if (field === 'zip') return a.slice(0, 5) !== b.slice(0, 5) || (a.length > 5 && a !== b);
    return a !== b;
  });
}

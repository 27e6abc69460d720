import { createHash } from 'node:crypto';

/**
 * A deterministic message nonce (Discord allows 25 characters): the same story for the
 * same subscription always gets the same nonce, so a retried post is answered with the
 * message that already exists instead of a second one.
 */
export function deliveryNonce(subscriptionId: string, itemKey: string): string {
  return createHash('sha256').update(`${subscriptionId}\n${itemKey}`).digest('hex').slice(0, 25);
}

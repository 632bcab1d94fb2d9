import type { WebhookEndpoint } from '../store/repos/webhooks.js';
import type { SecretBox } from '../tokens/secret.js';

/** What a sealed secret is bound to: it opens only as this endpoint's, at this issuer. */
export function secretLabel(issuerId: string, endpointId: string): string {
  return `webhook-secret:${issuerId}:${endpointId}`;
}

/** The secrets that sign now: the current one, and the previous one while its overlap lasts. */
export async function endpointSecrets(box: SecretBox, endpoint: WebhookEndpoint, now: number): Promise<string[]> {
  const label = secretLabel(endpoint.issuerId, endpoint.id);
  const secrets = [await box.open(endpoint.sealedSecret, label)];
  if (endpoint.sealedPreviousSecret && endpoint.previousExpiresAt !== null && endpoint.previousExpiresAt > now) {
    secrets.push(await box.open(endpoint.sealedPreviousSecret, label));
  }
  return secrets;
}

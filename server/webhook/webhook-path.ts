/** Where Meta delivers webhooks (WebhookController's POST, under the global `api` prefix). */
export const WEBHOOK_PATH = '/api/webhook';

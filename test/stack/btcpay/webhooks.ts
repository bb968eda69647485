import crypto from 'node:crypto';
import type { InvoiceEvent } from './engine';
import type { BtcpayState } from './state';
import { newId } from './model';

/**
 * Webhook deliveries as BTCPay sends them (Plugins/Webhooks/WebhookSender.cs): a JSON body, and
 * `BTCPay-Sig: sha256=<hex HMAC-SHA256(secret, raw body)>`.
 */

export function signWebhookBody(secret: string, rawBody: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

export function webhookBody(
  event: InvoiceEvent,
  webhookId: string,
  deliveryId: string,
  timestamp: number,
): Record<string, unknown> {
  return {
    deliveryId,
    webhookId,
    originalDeliveryId: deliveryId,
    isRedelivery: false,
    type: event.type,
    timestamp,
    storeId: event.invoice.storeId,
    invoiceId: event.invoice.id,
    metadata: event.invoice.metadata,
    ...event.extra,
  };
}

/** Sends `event` to each enabled webhook of the invoice's store that wants it. */
export async function deliverWebhooks(
  state: BtcpayState,
  event: InvoiceEvent,
  checkBody: (type: string, body: unknown) => void,
): Promise<void> {
  const targets = [...state.webhooks.values()].filter(
    (w) =>
      w.storeId === event.invoice.storeId &&
      w.enabled &&
      (w.everything || w.specificEvents.includes(event.type)),
  );
  await Promise.all(
    targets.map(async (w) => {
      const deliveryId = newId(16);
      const body = webhookBody(event, w.id, deliveryId, state.now());
      checkBody(event.type, body);
      const raw = JSON.stringify(body);
      const headers = { 'Content-Type': 'application/json', 'BTCPay-Sig': signWebhookBody(w.secret, raw) };
      const delivery = {
        id: deliveryId,
        webhookId: w.id,
        timestamp: state.now(),
        httpCode: null as number | null,
        errorMessage: null as string | null,
        status: 'Failed' as 'Failed' | 'HttpError' | 'HttpSuccess',
        body: raw,
        headers,
      };
      state.deliveries.push(delivery);
      try {
        const res = await fetch(w.url, {
          method: 'POST',
          headers,
          body: raw,
          signal: AbortSignal.timeout(10_000),
        });
        delivery.httpCode = res.status;
        delivery.status = res.ok ? 'HttpSuccess' : 'HttpError';
      } catch (err) {
        delivery.errorMessage = err instanceof Error ? err.message : String(err);
      }
    }),
  );
}

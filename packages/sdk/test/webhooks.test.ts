import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from '../src/index.ts';

const secret = `whsec_${Buffer.from('a secret of at least twenty-four bytes').toString('base64')}`;
const body = JSON.stringify({
  id: 'evt_1',
  type: 'webhook.test',
  occurred_at: '2026-11-30T09:00:00.000Z',
  actor: null,
  subject: { type: 'webhook', id: '1' },
  data: { id: 1 },
});

/** Headers as the Standard Webhooks reference library signs them: verifyWebhook must accept what any conforming sender sends. */
function signed(at = new Date(), payload = body): Record<string, string> {
  const signature = new Webhook(secret).sign('evt_1', at, payload);
  return { 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

describe('verifyWebhook', () => {
  it('resolves to the event of a delivery signed with the secret, from a header record or a Headers object', async () => {
    await expect(verifyWebhook(secret, signed(), body)).resolves.toMatchObject({ id: 'evt_1', type: 'webhook.test' });
    await expect(verifyWebhook(secret, new Headers(signed()), body)).resolves.toMatchObject({ subject: { type: 'webhook', id: '1' } });
    const upperCase = Object.fromEntries(Object.entries(signed()).map(([name, value]) => [name.toUpperCase(), value]));
    await expect(verifyWebhook(secret, upperCase, body)).resolves.toMatchObject({ id: 'evt_1' });
  });

  it('accepts any matching signature among several (during a secret rotation)', async () => {
    const headers = signed();
    headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
    await expect(verifyWebhook(secret, headers, body)).resolves.toMatchObject({ id: 'evt_1' });
  });

  it('refuses a changed body, another secret, an old timestamp and missing headers', async () => {
    await expect(verifyWebhook(secret, signed(), body.replace('"id":1', '"id":2'))).rejects.toThrow(WebhookVerificationError);
    const other = `whsec_${Buffer.from('another secret, also long enough').toString('base64')}`;
    await expect(verifyWebhook(other, signed(), body)).rejects.toThrow('No matching signature');
    await expect(verifyWebhook(secret, signed(new Date(Date.now() - 10 * 60_000)), body)).rejects.toThrow('timestamp');
    const { 'webhook-signature': _signature, ...unsigned } = signed();
    await expect(verifyWebhook(secret, unsigned, body)).rejects.toThrow('Missing webhook-signature header');
  });
});

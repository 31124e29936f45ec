import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';

// The settings' effect on prices is the estimates' tests' (service-tickets/estimate.router.test.ts).

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
});
afterAll(() => app.close());

describe('shop settings audit', () => {
  it('records each change with the owner and only the fields that changed, nested ones by their path', async () => {
    await app.as(owner.token).shop.updateSettings({ shop_name: 'Hopper Motors', tax_rates: { parts: '8.875' } });
    await app.as(owner.token).shop.updateSettings({ labor_rate: '135.00', shop_name: 'Hopper Motors' });
    const trail = await app.as(owner.token).audit.list({ subject_type: 'shop' });
    expect(trail.items.map((entry) => [entry.action, entry.actor, entry.changes])).toEqual([
      ['shop.settings_updated', { kind: 'staff', id: owner.mechanic.id }, { labor_rate: { before: '120.00', after: '135.00' } }],
      [
        'shop.settings_updated',
        { kind: 'staff', id: owner.mechanic.id },
        { shop_name: { before: 'Mechanic Shop', after: 'Hopper Motors' }, 'tax_rates.parts': { before: '0.000', after: '8.875' } },
      ],
    ]);
  });
});

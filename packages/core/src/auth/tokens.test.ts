import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenService, type TokenSettings } from './tokens.ts';

const settings: TokenSettings = { secret: 'x'.repeat(40), issuer: 'mechanic-shop', audience: 'mechanic-shop-api', ttlSeconds: 600 };
const tokens = createTokenService(settings);

function forge(
  claims: Record<string, unknown>,
  options: { secret?: string; alg?: string; expiresIn?: string; issuer?: string; audience?: string } = {},
) {
  return new SignJWT({ ver: 0, ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject('7')
    .setIssuer(options.issuer ?? settings.issuer)
    .setAudience(options.audience ?? settings.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(options.secret ?? settings.secret));
}

describe('tokens', () => {
  it('verify what they issue, with the role and id', async () => {
    const { token, token_type, expires_in } = await tokens.issue({ role: 'mechanic', id: 7, tokenVersion: 0 });
    expect({ token_type, expires_in }).toEqual({ token_type: 'Bearer', expires_in: 600 });
    expect(await tokens.verify(token)).toMatchObject({ ok: true, claims: { role: 'mechanic', id: 7 }, tokenVersion: 0 });
  });

  it.each([
    ['signed with another key', () => forge({ role: 'customer' }, { secret: 'y'.repeat(40) })],
    ['with another algorithm (HS512)', () => forge({ role: 'customer' }, { alg: 'HS512' })],
    [
      'unsigned (alg: none)',
      async () =>
        new UnsecuredJWT({ role: 'customer', sub: '7', iss: settings.issuer, aud: settings.audience })
          .setIssuedAt()
          .setExpirationTime('10m')
          .encode(),
    ],
    ['from another issuer', () => forge({ role: 'customer' }, { issuer: 'someone-else' })],
    ['for another audience', () => forge({ role: 'customer' }, { audience: 'another-api' })],
    ['with an unknown role', () => forge({ role: 'admin' })],
    ['without a role', () => forge({})],
    ['without a token version', () => forge({ role: 'customer', ver: undefined })],
    ['with a token version that is not an integer', () => forge({ role: 'customer', ver: '0' })],
    ['malformed', async () => 'not.a.jwt'],
    ['empty', async () => ''],
  ])('reject a token %s', async (_name, make) => {
    expect(await tokens.verify(await make())).toEqual({ ok: false, problem: 'invalid' });
  });

  it('tell an expired token apart (the client should log in again)', async () => {
    const expired = await forge({ role: 'customer' }, { expiresIn: '-1m' });
    expect(await tokens.verify(expired)).toEqual({ ok: false, problem: 'expired' });
  });
});

import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

export const ROLES = ['customer', 'mechanic'] as const;

/**
 * A staff account's role (the zod `StaffRole` of mechanic.schemas.ts is built
 * from it). A plain union here rather than a zod type: it is part of the
 * router's context and meta types, which the SDK's bundled declarations carry,
 * and those must not reach into zod.
 */
export const STAFF_ROLES = ['owner', 'service_writer', 'technician'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = (typeof ROLES)[number];

/** What a token says: an account of one role. */
export interface TokenClaims {
  role: Role;
  id: number;
}

/**
 * Who is calling: a customer, or a staff account with its staff role. The token
 * carries only `role: 'mechanic'`; the staff role is read from the account on
 * each request (see the authenticator), so a role change applies to the next one.
 */
export type Principal = { role: 'customer'; id: number } | { role: 'mechanic'; id: number; staffRole: StaffRole };
/** A staff account calling (`ctx.caller` of the staff procedures). */
export type StaffPrincipal = Extract<Principal, { role: 'mechanic' }>;

/** Who a request is, or why it is nobody (part of the router's types: plain data only). */
export type AuthOutcome =
  { principal: Principal; problem?: undefined } | { principal: null; problem: 'missing' | 'invalid' | 'expired' | 'revoked' };

export interface TokenSettings {
  /** HS256 key material; production start-up refuses fewer than 32 bytes. */
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface IssuedToken {
  token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/**
 * What a token is issued to: an account, with the account's `token_version` at
 * that moment. Changing the password or the email raises the version, and the
 * authenticator refuses tokens that carry an older one.
 */
export interface TokenSubject extends TokenClaims {
  tokenVersion: number;
}

export type VerifiedToken =
  { ok: true; claims: TokenClaims; tokenVersion: number; expiresAt: number } | { ok: false; problem: 'invalid' | 'expired' };

export interface TokenService {
  issue(subject: TokenSubject): Promise<IssuedToken>;
  /** The claims of a valid token, or why it is not valid (bad signature, wrong issuer… are all "invalid"). */
  verify(token: string): Promise<VerifiedToken>;
}

const ALGORITHM = 'HS256';
/** The private claim that carries the account's token version. */
const VERSION_CLAIM = 'ver';

export function createTokenService(settings: TokenSettings): TokenService {
  // Imported once: given raw bytes, jose imports a key for every token.
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(settings.secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  return {
    async issue(subject) {
      const token = await new SignJWT({ role: subject.role, [VERSION_CLAIM]: subject.tokenVersion })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(String(subject.id))
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime(`${settings.ttlSeconds}s`)
        .sign(await key);
      return { token, token_type: 'Bearer', expires_in: settings.ttlSeconds };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, await key, {
          // Pinned: `alg: none` or an asymmetric algorithm never verifies (RFC 8725 §3.1).
          algorithms: [ALGORITHM],
          issuer: settings.issuer,
          audience: settings.audience,
          requiredClaims: ['sub', 'iat', 'exp', VERSION_CLAIM],
          typ: 'JWT',
        });
        const role = ROLES.find((candidate) => candidate === payload.role);
        const id = Number(payload.sub);
        const tokenVersion = payload[VERSION_CLAIM];
        if (!role || !Number.isSafeInteger(id) || id < 1 || !Number.isSafeInteger(tokenVersion) || payload.exp === undefined) {
          return { ok: false, problem: 'invalid' };
        }
        return { ok: true, claims: { role, id }, tokenVersion: tokenVersion as number, expiresAt: payload.exp * 1000 };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) return { ok: false, problem: 'expired' };
        if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return { ok: false, problem: 'invalid' };
        throw error;
      }
    },
  };
}

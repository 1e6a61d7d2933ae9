import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, JWTPayload, CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';

/** An RS256 key pair the sandbox IdP signs id tokens with; its public half is served as JWKS. */
export class SigningKey {
  private constructor(
    readonly kid: string,
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
  ) {}

  static async generate(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const jwk = await exportJWK(publicKey);
    return new SigningKey(kid, privateKey, { ...jwk, kid, use: 'sig', alg: 'RS256' });
  }

  sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' }).sign(this.privateKey);
  }
}

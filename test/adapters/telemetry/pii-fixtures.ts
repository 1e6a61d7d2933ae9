import { expect } from 'vitest';

/** Known secrets and personal data; none may appear in any output. */
export const PII = {
  accessToken: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJvaWQiOiIxMjMifQ.SIGNATUREsignature',
  refreshToken: '0.AXoAv4j5cvGGr0GRqy180BHbR-REFRESH',
  authCode: '0.AQ8Aauthcode-XYZ',
  clientSecret: 'Qx~8Q~client-secret-value',
  codeVerifier: 'pkce-verifier-0123456789abcdef',
  email: 'megan.bowen@contoso.onmicrosoft.com',
  subject: 'Confidential: merger with Fabrikam',
  fileName: 'Q3 layoffs plan.xlsx',
  query: 'salary review Adele Vance',
  displayName: 'Adele Vance',
  body: 'Please keep this between us',
  tenantId: '6e1c1d3c-1b6d-4bbf-9a1f-2a3b4c5d6e7f',
  objectId: 'a1b2c3d4-0000-4000-8000-abcdefabcdef',
} as const;

/** Fails naming the first known secret or personal value found in `output`. */
export function assertNoPii(output: string): void {
  for (const [name, raw] of Object.entries(PII)) expect(output, `${name} leaked`).not.toContain(raw);
}

/** Process-local copies of a user's Microsoft tokens, dropped on logout and operator revocation. */
export interface GraphTokenCache {
  evict(tenantId: string, objectId: string): void;
}

/** An MCP session (`Mcp-Session-Id`), bound to the identity that created it. */
export interface McpSession {
  id: string;
  tenantId: string;
  objectId: string;
  subject: string;
  clientId: string;
  createdAt: number;
  expiresAt: number;
  /** Families or tools the client narrowed this session to, if any. */
  profile?: string[];
}

export interface SessionStore {
  create(session: McpSession): Promise<void>;
  get(id: string): Promise<McpSession | null>;
  delete(id: string): Promise<void>;
  deleteForUser(tenantId: string, objectId: string): Promise<number>;
}

import type { ToolCallGuard } from './tool-call-pipeline.js';
import { profileAllows, profileRefusal } from './request-profile.js';
import type { ToolContext, ToolDefinition } from './tools/tool-definition.js';

/**
 * Refuses tools the client's per-request profile hides, so a hidden tool cannot be called by name
 * (directly or through tools_call). The deployment's own profile needs no guard: tools outside it
 * are not in the registry at all.
 */
export class ProfileGuard implements ToolCallGuard {
  async check(tool: ToolDefinition, context: ToolContext): Promise<void> {
    if (context.profile !== undefined && !profileAllows(context.profile, tool)) throw profileRefusal(context.profile, tool);
  }
}

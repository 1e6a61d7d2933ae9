import { DomainError, isDomainError } from '../../domain/errors.js';
import { parseFamilies, SELECTABLE_FAMILIES } from '../../domain/families.js';
import { familiesOf, type RequestProfile, type ToolDefinition } from './tools/tool-definition.js';

/** The header (or `?profile=` query parameter on the MCP URL) a client narrows its catalogue with. */
export const PROFILE_HEADER = 'x-mcp-profile';
export const PROFILE_QUERY = 'profile';

const READ_ONLY_TOKENS = new Set(['read-only', 'readonly']);

/**
 * Parses `mail,calendar` or `mail,read-only` (or just `read-only`). Our server is stateless, so a
 * client that wants a narrower catalogue sends the same profile on every request; an absent or
 * empty value means the deployment's whole catalogue.
 */
export function parseRequestProfile(value: string | undefined): RequestProfile | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.length > 256) throw badProfile('The profile is longer than 256 characters.');
  const parts = value.split(',').map((p) => p.trim().toLowerCase());
  const readOnly = parts.some((p) => READ_ONLY_TOKENS.has(p));
  try {
    return { families: parseFamilies(parts.filter((p) => !READ_ONLY_TOKENS.has(p)), 'the profile'), readOnly };
  } catch (error) {
    if (isDomainError(error)) throw badProfile(error.message);
    throw error;
  }
}

/** Whether a profile lets a tool through; `auth` and discovery tools always pass. No profile: everything. */
export function profileAllows(profile: RequestProfile | undefined, tool: ToolDefinition): boolean {
  if (profile === undefined || tool.family === 'auth' || tool.family === 'tools') return true;
  if (!inFamilies(profile, tool)) return false;
  return !profile.readOnly || tool.annotations.readOnlyHint;
}

/** Why a profile refuses a tool, as the typed error a guard throws. */
export function profileRefusal(profile: RequestProfile, tool: ToolDefinition): DomainError {
  if (tool.family !== 'auth' && tool.family !== 'tools' && !inFamilies(profile, tool)) {
    return new DomainError(
      'feature_disabled',
      'profile.familyExcluded',
      `${tool.name} belongs to the "${tool.family}" family, which this client's profile (${profile.families.join(', ')}) leaves out.`,
    );
  }
  return new DomainError('feature_disabled', 'profile.readOnly', `${tool.name} changes data, and this client's profile is read-only.`);
}

/** An empty family list means "every family"; a shared tool needs any one of its families. */
function inFamilies(profile: RequestProfile, tool: ToolDefinition): boolean {
  return profile.families.length === 0 || familiesOf(tool).some((f) => (profile.families as readonly string[]).includes(f));
}

function badProfile(detail: string): DomainError {
  return new DomainError(
    'invalid_input',
    'profile.invalid',
    `Invalid profile: ${detail} Send a comma-separated list of ${SELECTABLE_FAMILIES.join(', ')}, optionally with read-only.`,
  );
}

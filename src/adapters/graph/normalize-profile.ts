import type { UserProfile } from '../../domain/profile.js';
import { plain, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export const PROFILE_SELECT = 'id,displayName,mail,userPrincipalName,jobTitle';

/** `/me` does not carry the tenant; it comes from the caller's identity. */
export function toUserProfile(raw: Json, tenantId: string): UserProfile {
  const profile: UserProfile = {
    id: requireId(raw),
    displayName: plain(raw.displayName),
    userPrincipalName: str(raw.userPrincipalName) ?? '',
    tenantId,
  };
  const mail = str(raw.mail);
  if (mail !== undefined && mail !== '') profile.mail = mail;
  const jobTitle = str(raw.jobTitle);
  if (jobTitle !== undefined && jobTitle !== '') profile.jobTitle = jobTitle;
  return profile;
}

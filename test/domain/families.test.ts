import { describe, expect, it } from 'vitest';
import { BASE_SCOPES, FAMILY_SCOPES, SELECTABLE_FAMILIES, parseFamilies, scopesFor } from '../../src/domain/families.js';

describe('scopesFor: the delegated scopes requested at sign-in', () => {
  it('asks only for mail scopes (plus sign-in basics) when only mail is enabled', () => {
    expect(scopesFor({ families: ['mail'], readOnly: false })).toEqual([...BASE_SCOPES, 'Mail.ReadWrite', 'Mail.Send']);
  });

  it('asks only for read scopes in read-only mode', () => {
    const scopes = scopesFor({ families: ['mail', 'calendar', 'files', 'contacts', 'tasks'], readOnly: true });
    expect(scopes).toEqual([...BASE_SCOPES, 'Calendars.Read', 'Contacts.Read', 'Files.Read.All', 'Mail.Read', 'People.Read', 'Tasks.Read']);
    expect(scopes.some((s) => /ReadWrite|Send/.test(s))).toBe(false);
  });

  it('never asks for X.Read next to X.ReadWrite, whatever family brings it', () => {
    const scopes = scopesFor({ families: ['search', 'mail', 'files', 'calendar'], readOnly: false });
    expect(scopes).toContain('Mail.ReadWrite');
    expect(scopes).not.toContain('Mail.Read');
    expect(scopes).toContain('Files.ReadWrite.All');
    expect(scopes).not.toContain('Files.Read.All');
    expect(scopes).toContain('Sites.Read.All');
    expect(new Set(scopes).size).toBe(scopes.length);
  });

  it('keeps Teams scopes out unless the teams family is enabled', () => {
    const without = scopesFor({ families: SELECTABLE_FAMILIES.filter((f) => f !== 'teams'), readOnly: false });
    expect(without.some((s) => /Chat|Channel|Team/.test(s))).toBe(false);
    const withTeams = scopesFor({ families: ['teams'], readOnly: false });
    expect(withTeams).toEqual(expect.arrayContaining(['Chat.Read', 'ChatMessage.Send', 'ChannelMessage.Send']));
  });

  it('is deterministic and independent of the order families are listed in', () => {
    expect(scopesFor({ families: ['tasks', 'mail'], readOnly: false })).toEqual(scopesFor({ families: ['mail', 'tasks', 'mail'], readOnly: false }));
    expect(scopesFor({ families: [], readOnly: false })).toEqual([...BASE_SCOPES]);
  });

  it('declares read and write scopes for every family', () => {
    for (const [family, scopes] of Object.entries(FAMILY_SCOPES)) {
      expect(scopes.read.length, family).toBeGreaterThan(0);
    }
  });
});

describe('parseFamilies', () => {
  it('normalizes case, drops blanks and duplicates', () => {
    expect(parseFamilies([' Mail', 'calendar', '', 'mail'], 'X')).toEqual(['mail', 'calendar']);
  });
  it('rejects unknown families with the list of valid ones', () => {
    expect(() => parseFamilies(['mail', 'sharepoint'], 'TOOL_FAMILIES')).toThrow(/TOOL_FAMILIES names an unknown tool family \(sharepoint\)/);
  });
});

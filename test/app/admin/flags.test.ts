import { describe, expect, it } from 'vitest';
import { applyChanges, summarize } from '../../../src/app/admin/flags.js';

describe('admin flags set', () => {
  it('disables and enables tools or families, sets read-only, concurrency and backoff', () => {
    let flags = applyChanges({ disabled: [] }, ['--disable', 'search', '--disable', 'files_upload', '--read-only', 'true']);
    expect(flags).toEqual({ disabled: ['search', 'files_upload'], readOnly: true });
    flags = applyChanges(flags, ['--enable', 'search', '--concurrency', 'mail=4', '--concurrency', 'files=2', '--backoff-multiplier', '3']);
    expect(flags).toEqual({ disabled: ['files_upload'], readOnly: true, concurrency: { mail: 4, files: 2 }, backoffMultiplier: 3 });
    flags = applyChanges(flags, ['--concurrency', 'mail=default']);
    expect(flags.concurrency).toEqual({ files: 2 });
    expect(applyChanges(flags, ['--reset'])).toEqual({ disabled: [] });
  });

  it('rejects bad values with a message', () => {
    expect(() => applyChanges({ disabled: [] }, ['--read-only', 'maybe'])).toThrow(/true or false/);
    expect(() => applyChanges({ disabled: [] }, ['--concurrency', 'mail=0'])).toThrow(/family=/);
    expect(() => applyChanges({ disabled: [] }, ['--backoff-multiplier', '0.5'])).toThrow(/1 to 100/);
    expect(() => applyChanges({ disabled: [] }, ['--disable', 'Not A Tool'])).toThrow(/not a tool/);
    expect(() => applyChanges({ disabled: [] }, ['--bogus'])).toThrow();
  });

  it('summarizes the overrides in force for the audit event', () => {
    expect(summarize({ disabled: [] })).toBe('disabled=-');
    expect(summarize({ disabled: ['search', 'files_upload'], readOnly: false, concurrency: { mail: 4 }, backoffMultiplier: 2 })).toBe(
      'disabled=search,files_upload readOnly=false concurrency.mail=4 backoffMultiplier=2',
    );
  });
});

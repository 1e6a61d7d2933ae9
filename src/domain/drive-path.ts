import { invalidInput } from './errors.js';
import type { FolderRef } from './files.js';
import { requireGraphId } from './graph-id.js';
import { hasBidiControls, hasControlChars, hasLoneSurrogate } from './text.js';

/** OneDrive / SharePoint naming rules (support.microsoft.com "Invalid file names and file types"). */
const FORBIDDEN_CHARS = /["*:<>?/\\|]/;
const RESERVED_BASE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const RESERVED_NAMES = new Set(['.lock', 'desktop.ini']);
export const MAX_NAME_LENGTH = 255;
/** OneDrive caps the decoded path of an item at 400 characters. */
export const MAX_PATH_LENGTH = 400;

function nameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (hasControlChars(name) || hasLoneSurrogate(name)) return 'contains control or invalid characters';
  if (hasBidiControls(name)) return 'contains bidirectional text controls';
  if (FORBIDDEN_CHARS.test(name)) return 'contains one of the characters " * : < > ? / \\ |';
  if (name !== name.trim()) return 'starts or ends with a space';
  if (name.endsWith('.')) return 'ends with a dot';
  if (name === '.' || name === '..') return 'is a relative path segment';
  const lower = name.toLowerCase();
  if (RESERVED_NAMES.has(lower)) return 'is a reserved name';
  if (RESERVED_BASE_NAMES.test(lower.split('.')[0] ?? '')) return 'is a reserved device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9)';
  if (lower.startsWith('~$')) return 'starts with ~$ (reserved for Office lock files)';
  if (lower.includes('_vti_')) return 'contains _vti_ (reserved by SharePoint)';
  return null;
}

/** Validates a file or folder name for OneDrive; throws `files.invalidName` explaining the rule. */
export function validateItemName(name: unknown): string {
  if (typeof name !== 'string') throw invalidInput('files.invalidName', 'The file name must be a string.');
  const problem = nameProblem(name);
  if (problem !== null) {
    throw invalidInput('files.invalidName', `The file name ${problem}. Choose a different name and try again.`);
  }
  return name;
}

/**
 * Normalizes a folder path from the drive root: `Documents//Reports/` → `/Documents/Reports`, the
 * root is `/`. Rejects `..`, backslashes, NUL and names OneDrive cannot hold.
 */
export function normalizeFolderPath(path: unknown): string {
  if (typeof path !== 'string') throw invalidInput('files.invalidPath', 'The folder path must be a string like /Documents/Reports.');
  if (path.includes('\\')) {
    throw invalidInput('files.invalidPath', 'Folder paths use forward slashes: write /Documents/Reports, not \\Documents\\Reports.');
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  for (const segment of segments) {
    if (segment === '..') {
      throw invalidInput('files.invalidPath', 'Folder paths may not contain ".." segments; give the full path from the drive root.');
    }
    const problem = nameProblem(segment);
    if (problem !== null) {
      throw invalidInput('files.invalidPath', `A folder name in the path ${problem}. Give an existing folder path from the drive root.`);
    }
  }
  const normalized = `/${segments.join('/')}`;
  if (normalized.length > MAX_PATH_LENGTH) {
    throw invalidInput('files.invalidPath', `The folder path is longer than ${MAX_PATH_LENGTH} characters.`);
  }
  return normalized;
}

/** Validates a FolderRef (default: the drive root) and returns it normalized. */
export function normalizeFolderRef(folder: FolderRef | undefined): FolderRef {
  if (folder === undefined) return { path: '/' };
  if ('itemId' in folder && folder.itemId !== undefined) {
    return { itemId: requireGraphId(folder.itemId, 'files.invalidItemId', 'The folder id') };
  }
  if ('path' in folder) return { path: normalizeFolderPath(folder.path) };
  throw invalidInput('files.invalidFolder', 'Give the folder either as { path: "/Documents" } or as { itemId }.');
}

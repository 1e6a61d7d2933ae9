import { z } from 'zod';
import type { DriveItem } from '../../../domain/files.js';
import type { CopyDriveItem } from '../../../domain/use-cases/copy-drive-item.js';
import type { CreateFolder } from '../../../domain/use-cases/create-folder.js';
import type { CreateSharingLink } from '../../../domain/use-cases/create-sharing-link.js';
import type { DeleteDriveItem } from '../../../domain/use-cases/delete-drive-item.js';
import type { GetDriveItem } from '../../../domain/use-cases/get-drive-item.js';
import { SHARED_WITH_ME_LIMITS, type ListSharedWithMe } from '../../../domain/use-cases/list-shared-with-me.js';
import type { ListFileVersions } from '../../../domain/use-cases/list-file-versions.js';
import type { MoveDriveItem } from '../../../domain/use-cases/move-drive-item.js';
import { SEARCH_FILES_LIMITS, type SearchFiles } from '../../../domain/use-cases/search-files.js';
import { CREATES, DESTROYS, READ_ONLY, UPDATES, defineTool, type ToolDefinition } from './tool-definition.js';
import { cursorInput, driveItem, folderInput, idempotencyKeyInput, nextCursor, pageSizeInput, toFolderRef } from './schemas.js';

export interface FilesManageToolDeps {
  getDriveItem: GetDriveItem;
  searchFiles: SearchFiles;
  listSharedWithMe: ListSharedWithMe;
  createFolder: CreateFolder;
  moveDriveItem: MoveDriveItem;
  copyDriveItem: CopyDriveItem;
  deleteDriveItem: DeleteDriveItem;
  createSharingLink: CreateSharingLink;
  listFileVersions: ListFileVersions;
}

const itemId = z.string().min(1).max(256);
const name = z.string().min(1).max(255).describe('New name, no slashes.');
const destination = folderInput.describe('Folder path like /Documents, or a folder id.');
/** What a write tool returns: enough to confirm and keep working with the item. */
const itemRef = driveItem.pick({ id: true, name: true, parentPath: true, webUrl: true });
const ref = (i: DriveItem): z.input<typeof itemRef> => ({ id: i.id, name: i.name, parentPath: i.parentPath, webUrl: i.webUrl });

export function filesManageTools(deps: FilesManageToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'files_get',
      family: 'files',
      title: 'Get file or folder metadata',
      description: 'One item by path like /Documents/Plan.docx, or by itemId (plus driveId for items from files_shared_with_me).',
      input: z.object({ itemId: itemId.optional(), driveId: z.string().min(1).max(256).optional(), path: z.string().min(1).max(400).optional() }),
      output: driveItem,
      annotations: READ_ONLY,
      run: ({ caller }, input) => deps.getDriveItem.execute(caller, input),
    }),
    defineTool({
      name: 'files_search',
      family: 'files',
      title: 'Search OneDrive',
      description: 'Find files and folders in your OneDrive by name or content keywords. Page with nextCursor.',
      input: z.object({
        query: z.string().min(1).max(SEARCH_FILES_LIMITS.maxQueryLength),
        pageSize: pageSizeInput(SEARCH_FILES_LIMITS.maxPageSize, SEARCH_FILES_LIMITS.defaultPageSize),
        cursor: cursorInput,
      }),
      output: z.object({ items: z.array(driveItem), nextCursor }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.searchFiles.execute(caller, input);
        return { items: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'files_shared_with_me',
      family: 'files',
      title: 'Files shared with me',
      description: `Items others shared with you (up to ${SHARED_WITH_ME_LIMITS.max}, not paged). Pass itemId and driveId to files_get.`,
      input: z.object({ max: z.number().int().min(1).max(SHARED_WITH_ME_LIMITS.max).optional().describe(`Default ${SHARED_WITH_ME_LIMITS.defaultMax}.`) }),
      output: z.object({ items: z.array(driveItem.extend({ driveId: z.string(), sharedBy: z.string().optional() })) }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => ({ items: await deps.listSharedWithMe.execute(caller, input) }),
    }),
    defineTool({
      name: 'files_create_folder',
      family: 'files',
      title: 'Create a folder',
      description: 'Create a folder in a parent folder (default the root).',
      input: z.object({
        parent: destination.optional().describe('Path like /Documents or folder id; default the root.'),
        name,
        conflict: z.enum(['fail', 'rename']).optional().describe('If the name exists: fail (default) or pick a free name.'),
        idempotency_key: idempotencyKeyInput,
      }),
      output: itemRef,
      annotations: CREATES,
      run: async ({ caller }, { parent, name: folderName, conflict }) =>
        ref(await deps.createFolder.execute(caller, { name: folderName, ...(conflict ? { conflict } : {}), ...(parent ? { parent: toFolderRef(parent) } : {}) })),
    }),
    defineTool({
      name: 'files_move',
      family: 'files',
      title: 'Move or rename a file or folder',
      description: 'Move an item to another folder and/or rename it (newName alone renames in place); conflict if the name is taken.',
      input: z.object({ itemId, destination: destination.optional(), newName: name.optional() }),
      output: itemRef,
      annotations: UPDATES,
      run: async ({ caller }, { destination: to, ...input }) => ref(await deps.moveDriveItem.execute(caller, { ...input, ...(to ? { destination: toFolderRef(to) } : {}) })),
    }),
    defineTool({
      name: 'files_copy',
      family: 'files',
      title: 'Copy a file or folder',
      description: 'Copy an item into a folder; a name clash gets a free name. Copies run asynchronously: inProgress means look again later with files_list.',
      input: z.object({ itemId, destination: destination.optional().describe('Path or folder id; default the root.'), newName: name.optional(), idempotency_key: idempotencyKeyInput }),
      output: z.object({ status: z.enum(['completed', 'inProgress', 'failed']), itemId: z.string().optional(), percentComplete: z.number().optional() }),
      annotations: CREATES,
      run: ({ caller }, { idempotency_key: _key, destination: to, ...input }) => deps.copyDriveItem.execute(caller, { ...input, ...(to ? { destination: toFolderRef(to) } : {}) }),
    }),
    defineTool({
      name: 'files_delete',
      family: 'files',
      title: 'Delete a file or folder',
      description: 'Move an item (a folder with its content) to the OneDrive recycle bin, where the user can restore it.',
      input: z.object({ itemId }),
      output: z.object({ status: z.literal('deleted') }),
      annotations: DESTROYS,
      run: ({ caller }, input) => deps.deleteDriveItem.execute(caller, input),
    }),
    defineTool({
      name: 'files_share',
      family: 'files',
      title: 'Create a sharing link',
      description: 'View or edit link to an item for anyone with it (anonymous, if the tenant allows) or colleagues (organization); repeats return the same link.',
      input: z.object({ itemId, type: z.enum(['view', 'edit']), scope: z.enum(['anonymous', 'organization']) }),
      output: z.object({ url: z.string(), type: z.enum(['view', 'edit']), scope: z.enum(['anonymous', 'organization']), expiresAt: z.string().optional() }),
      annotations: UPDATES,
      run: ({ caller }, input) => deps.createSharingLink.execute(caller, input),
    }),
    defineTool({
      name: 'files_list_versions',
      family: 'files',
      title: 'List file versions',
      description: 'Versions of a file, current first (folders have none).',
      input: z.object({ itemId }),
      output: z.object({ versions: z.array(z.object({ id: z.string(), modifiedAt: z.string(), size: z.number(), modifiedBy: z.string().optional() })) }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => ({ versions: await deps.listFileVersions.execute(caller, input) }),
    }),
  ];
}

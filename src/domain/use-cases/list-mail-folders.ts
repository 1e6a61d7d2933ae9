import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { MailFolder } from '../mailbox.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface ListMailFoldersInput extends PageRequest {
  /** Lists this folder's subfolders; default the top-level folders. */
  parentFolderId?: string;
}

export const LIST_MAIL_FOLDERS_LIMITS = { defaultPageSize: 50, maxPageSize: 100 } as const;

/** Lists mail folders with their unread and total counts. */
export class ListMailFolders {
  constructor(private readonly mailbox: MailboxGateway) {}

  async execute(caller: Identity, input: ListMailFoldersInput): Promise<Page<MailFolder>> {
    const pageSize = clampPageSize(input.pageSize, LIST_MAIL_FOLDERS_LIMITS.defaultPageSize, LIST_MAIL_FOLDERS_LIMITS.maxPageSize);
    const parent = input.parentFolderId === undefined ? undefined : requireGraphId(input.parentFolderId, 'mail.invalidFolder', 'The parent folder id');
    return this.mailbox.listFolders(caller, parent, pageSize, validateCursor(input.cursor));
  }
}

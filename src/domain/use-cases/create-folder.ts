import { normalizeFolderRef, validateItemName } from '../drive-path.js';
import type { DriveItem, FolderRef } from '../files.js';
import type { Identity } from '../identity.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

/** Creates a folder; on a name clash it fails or picks a free name ("Reports 1"). */
export class CreateFolder {
  constructor(private readonly drive: DriveItemsGateway) {}

  execute(caller: Identity, input: { parent?: FolderRef; name: string; conflict?: 'fail' | 'rename' }): Promise<DriveItem> {
    return this.drive.createFolder(caller, normalizeFolderRef(input.parent), validateItemName(input.name), input.conflict ?? 'fail');
  }
}

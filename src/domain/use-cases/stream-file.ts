import { singleByteRange } from '../byte-range.js';
import { invalidInput } from '../errors.js';
import type { DriveItem } from '../files.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { FileStream, FileStreamGateway, UnsatisfiableRange } from '../../ports/file-stream-gateway.js';
import type { FilesGateway } from '../../ports/files-gateway.js';

export interface StreamFileInput {
  itemId: string;
  /** An HTTP `Range` header; anything but one `bytes=a-b` range is ignored (the whole file is sent). */
  range?: string;
  signal?: AbortSignal;
}

/** Streams a file of any size (whole or one byte range) for the download endpoint. */
export class StreamFile {
  constructor(
    private readonly files: FilesGateway,
    private readonly streams: FileStreamGateway,
  ) {}

  async execute(caller: Identity, input: StreamFileInput): Promise<{ item: DriveItem; content: FileStream | UnsatisfiableRange }> {
    const id = requireGraphId(input.itemId, 'files.invalidItemId', 'The item id');
    const item = await this.files.getItem(caller, id);
    if (item.kind === 'folder') throw invalidInput('files.isFolder', 'This item is a folder; it has no content to download.');
    return { item, content: await this.streams.open(caller, id, singleByteRange(input.range), input.signal) };
  }
}

import { invalidInput, payloadTooLarge } from '../errors.js';
import { toFileContent } from '../file-content.js';
import type { FileContent } from '../files.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { DownloadLinks } from '../../ports/download-links.js';
import type { FilesGateway } from '../../ports/files-gateway.js';

export interface DownloadFileInput {
  itemId: string;
}

export interface DownloadFileLimits {
  /** Largest file returned inline in a tool result. */
  maxInlineBytes: number;
}

export const DEFAULT_DOWNLOAD_FILE_LIMITS: DownloadFileLimits = { maxInlineBytes: 4 * 1024 * 1024 };

/** Downloads a file: small ones inline (text as text, else base64), big ones as a link. Checks metadata before any byte. */
export class DownloadFile {
  private readonly limits: DownloadFileLimits;

  constructor(
    private readonly files: FilesGateway,
    limits: Partial<DownloadFileLimits> = {},
    /** When given, files over the inline cap get a download link instead of an error. */
    private readonly links?: DownloadLinks,
  ) {
    this.limits = { ...DEFAULT_DOWNLOAD_FILE_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: DownloadFileInput): Promise<FileContent> {
    const id = requireGraphId(input.itemId, 'files.invalidItemId', 'The item id');
    const item = await this.files.getItem(caller, id);
    if (item.kind === 'folder') {
      throw invalidInput('files.isFolder', 'This item is a folder; list its children instead of downloading it.');
    }
    if (item.size > this.limits.maxInlineBytes) {
      if (this.links === undefined) throw this.tooLarge(item.size, item.webUrl);
      const link = await this.links.issue(caller, { kind: 'driveItem', itemId: id });
      return { item, encoding: 'link', content: '', downloadUrl: link.url, expiresAt: link.expiresAt };
    }
    const bytes = await this.files.downloadContent(caller, id);
    // The file may have grown since the metadata was read.
    if (bytes.byteLength > this.limits.maxInlineBytes) throw this.tooLarge(bytes.byteLength, item.webUrl);
    return toFileContent({ ...item, size: bytes.byteLength }, bytes);
  }

  private tooLarge(size: number, webUrl: string | undefined): Error {
    const where = webUrl === undefined ? 'Open it in OneDrive instead' : `Open it in OneDrive instead: ${webUrl}`;
    return payloadTooLarge(
      'files.tooLargeToDownload',
      `The file is ${size} bytes; files up to ${this.limits.maxInlineBytes} bytes can be returned inline. ${where}`,
    );
  }
}

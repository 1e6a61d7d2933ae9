import type { ToolDefinition } from '../adapters/http/tools/tool-definition.js';
import { authTools } from '../adapters/http/tools/auth-tools.js';
import { calendarTools } from '../adapters/http/tools/calendar-tools.js';
import { filesTools } from '../adapters/http/tools/files-tools.js';
import { mailTools } from '../adapters/http/tools/mail-tools.js';
import { searchTools } from '../adapters/http/tools/search-tools.js';
import { DownloadFile } from '../domain/use-cases/download-file.js';
import { GetMessage } from '../domain/use-cases/get-message.js';
import { ListDriveItems } from '../domain/use-cases/list-drive-items.js';
import { ListEvents } from '../domain/use-cases/list-events.js';
import { ListMessages } from '../domain/use-cases/list-messages.js';
import { Search } from '../domain/use-cases/search.js';
import { SendMail } from '../domain/use-cases/send-mail.js';
import { UploadFile } from '../domain/use-cases/upload-file.js';
import { WhoAmI } from '../domain/use-cases/who-am-i.js';
import type { CalendarGateway } from '../ports/calendar-gateway.js';
import type { FilesGateway } from '../ports/files-gateway.js';
import type { MailGateway } from '../ports/mail-gateway.js';
import type { ProfileGateway } from '../ports/profile-gateway.js';
import type { SearchGateway } from '../ports/search-gateway.js';
import type { Config } from './config.js';

export interface CatalogueGateways {
  mail: MailGateway;
  calendar: CalendarGateway;
  files: FilesGateway;
  search: SearchGateway;
  profile: ProfileGateway;
}

/** Every use case, built from its ports and configured limits, exposed as MCP tools. */
export function buildToolCatalogue(config: Config, g: CatalogueGateways): ToolDefinition[] {
  const { limits } = config;
  return [
    ...mailTools({
      listMessages: new ListMessages(g.mail),
      getMessage: new GetMessage(g.mail, { maxBodyChars: limits.mailBodyMaxChars }),
      sendMail: new SendMail(g.mail),
    }),
    ...calendarTools({ listEvents: new ListEvents(g.calendar) }),
    ...filesTools({
      listDriveItems: new ListDriveItems(g.files),
      downloadFile: new DownloadFile(g.files, { maxInlineBytes: limits.inlineContentMaxBytes }),
      uploadFile: new UploadFile(g.files, { maxSimpleUploadBytes: limits.simpleUploadMaxBytes }),
      inlineContentMaxBytes: limits.inlineContentMaxBytes,
    }),
    ...searchTools({ search: new Search(g.search) }),
    ...authTools({ whoAmI: new WhoAmI(g.profile) }),
  ];
}

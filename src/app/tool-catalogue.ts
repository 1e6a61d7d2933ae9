import { familiesOf, type ToolDefinition } from '../adapters/http/tools/tool-definition.js';
import { authTools } from '../adapters/http/tools/auth-tools.js';
import { calendarActionTools } from '../adapters/http/tools/calendar-actions-tools.js';
import { authSessionTools, type AuthSessionToolDeps } from '../adapters/http/tools/auth-session-tools.js';
import { calendarTools } from '../adapters/http/tools/calendar-tools.js';
import { contactsTools } from '../adapters/http/tools/contacts-tools.js';
import { tasksTools } from '../adapters/http/tools/tasks-tools.js';
import { teamsTools } from '../adapters/http/tools/teams-tools.js';
import { filesManageTools } from '../adapters/http/tools/files-manage-tools.js';
import { filesTools } from '../adapters/http/tools/files-tools.js';
import { mailActionTools } from '../adapters/http/tools/mail-actions-tools.js';
import { mailTools } from '../adapters/http/tools/mail-tools.js';
import { searchTools } from '../adapters/http/tools/search-tools.js';
import type { Family } from '../domain/families.js';
import { CancelEvent } from '../domain/use-cases/cancel-event.js';
import { CreateDraft } from '../domain/use-cases/create-draft.js';
import { CreateEvent } from '../domain/use-cases/create-event.js';
import { FindMeetingTimes } from '../domain/use-cases/find-meeting-times.js';
import { GetEvent } from '../domain/use-cases/get-event.js';
import { GetSchedule } from '../domain/use-cases/get-schedule.js';
import { ListCalendars } from '../domain/use-cases/list-calendars.js';
import { RespondToEvent } from '../domain/use-cases/respond-to-event.js';
import { UpdateEvent } from '../domain/use-cases/update-event.js';
import { DeleteMessage } from '../domain/use-cases/delete-message.js';
import { uploadTools } from '../adapters/http/tools/upload-tools.js';
import type { AppendUploadBytes } from '../domain/use-cases/append-upload-bytes.js';
import type { CancelUpload } from '../domain/use-cases/cancel-upload.js';
import type { GetUploadStatus } from '../domain/use-cases/get-upload-status.js';
import type { StartAttachmentUpload } from '../domain/use-cases/start-attachment-upload.js';
import type { StartUpload } from '../domain/use-cases/start-upload.js';
import type { DownloadLinks } from '../ports/download-links.js';
import { DownloadFile } from '../domain/use-cases/download-file.js';
import { ForwardMessage } from '../domain/use-cases/forward-message.js';
import { GetAttachment } from '../domain/use-cases/get-attachment.js';
import { GetMessage } from '../domain/use-cases/get-message.js';
import { ListDriveItems } from '../domain/use-cases/list-drive-items.js';
import { ListEvents } from '../domain/use-cases/list-events.js';
import { ListMailFolders } from '../domain/use-cases/list-mail-folders.js';
import { ListMessages } from '../domain/use-cases/list-messages.js';
import { MoveMessage } from '../domain/use-cases/move-message.js';
import { ReplyToMessage } from '../domain/use-cases/reply-to-message.js';
import { Search } from '../domain/use-cases/search.js';
import { SearchMessages } from '../domain/use-cases/search-messages.js';
import { SendDraft } from '../domain/use-cases/send-draft.js';
import { SendMail } from '../domain/use-cases/send-mail.js';
import { UpdateDraft } from '../domain/use-cases/update-draft.js';
import { UpdateMessage } from '../domain/use-cases/update-message.js';
import { UploadFile } from '../domain/use-cases/upload-file.js';
import { WhoAmI } from '../domain/use-cases/who-am-i.js';
import { CopyDriveItem } from '../domain/use-cases/copy-drive-item.js';
import { CreateFolder } from '../domain/use-cases/create-folder.js';
import { CreateSharingLink } from '../domain/use-cases/create-sharing-link.js';
import { DeleteDriveItem } from '../domain/use-cases/delete-drive-item.js';
import { GetDriveItem } from '../domain/use-cases/get-drive-item.js';
import { ListFileVersions } from '../domain/use-cases/list-file-versions.js';
import { ListSharedWithMe } from '../domain/use-cases/list-shared-with-me.js';
import { MoveDriveItem } from '../domain/use-cases/move-drive-item.js';
import { SearchFiles } from '../domain/use-cases/search-files.js';
import { CompleteTask } from '../domain/use-cases/complete-task.js';
import { CreateContact } from '../domain/use-cases/create-contact.js';
import { CreateTask } from '../domain/use-cases/create-task.js';
import { GetContact } from '../domain/use-cases/get-contact.js';
import { ListContacts } from '../domain/use-cases/list-contacts.js';
import { ListTaskLists } from '../domain/use-cases/list-task-lists.js';
import { ListTasks } from '../domain/use-cases/list-tasks.js';
import { SearchPeople } from '../domain/use-cases/search-people.js';
import { UpdateContact } from '../domain/use-cases/update-contact.js';
import { ListChats } from '../domain/use-cases/list-chats.js';
import { ListTeamsChannels } from '../domain/use-cases/list-teams-channels.js';
import { ListTeamsMessages } from '../domain/use-cases/list-teams-messages.js';
import { SendTeamsMessage } from '../domain/use-cases/send-teams-message.js';
import type { CalendarGateway } from '../ports/calendar-gateway.js';
import type { ContactsGateway } from '../ports/contacts-gateway.js';
import type { TasksGateway } from '../ports/tasks-gateway.js';
import type { TeamsGateway } from '../ports/teams-gateway.js';
import type { DriveItemsGateway } from '../ports/drive-items-gateway.js';
import type { FilesGateway } from '../ports/files-gateway.js';
import type { MailGateway } from '../ports/mail-gateway.js';
import type { MailboxGateway } from '../ports/mailbox-gateway.js';
import type { ProfileGateway } from '../ports/profile-gateway.js';
import type { SchedulingGateway } from '../ports/scheduling-gateway.js';
import type { SearchGateway } from '../ports/search-gateway.js';
import type { Config } from './config.js';

export interface CatalogueGateways {
  mail: MailGateway;
  mailbox: MailboxGateway;
  calendar: CalendarGateway;
  scheduling: SchedulingGateway;
  files: FilesGateway;
  driveItems: DriveItemsGateway;
  contacts: ContactsGateway;
  tasks: TasksGateway;
  teams: TeamsGateway;
  search: SearchGateway;
  profile: ProfileGateway;
}

/** Resumable uploads and download links (built once: the HTTP routes share them). */
export interface LargeFileUseCases {
  startUpload: StartUpload;
  startAttachmentUpload: StartAttachmentUpload;
  appendUploadBytes: AppendUploadBytes;
  getUploadStatus: GetUploadStatus;
  cancelUpload: CancelUpload;
  links: DownloadLinks;
}

/** Whether the deployment's profile (TOOL_FAMILIES, READ_ONLY) includes a tool. */
export function inDeploymentProfile(tool: ToolDefinition, profile: Config['tools']): boolean {
  if (tool.family === 'tools') return true;
  if (tool.family !== 'auth' && !familiesOf(tool).some((f) => profile.families.includes(f as Family))) return false;
  return !profile.readOnly || tool.annotations.readOnlyHint;
}

/**
 * Every use case, built from its ports and configured limits, exposed as MCP tools, then cut down
 * to the deployment's profile: a tool outside it does not exist for this deployment.
 */
export function buildToolCatalogue(config: Config, g: CatalogueGateways, auth?: AuthSessionToolDeps, large?: LargeFileUseCases): ToolDefinition[] {
  const { limits } = config;
  const attachmentMaxBytes = Math.min(limits.inlineContentMaxBytes, limits.mailAttachmentsMaxBytes);
  const compose = { maxAttachmentBytes: limits.mailAttachmentsMaxBytes };
  const all = [
    ...mailTools({
      listMessages: new ListMessages(g.mail),
      getMessage: new GetMessage(g.mail, { maxBodyChars: limits.mailBodyMaxChars }),
      sendMail: new SendMail(g.mail, compose),
    }),
    ...mailActionTools({
      listMailFolders: new ListMailFolders(g.mailbox),
      searchMessages: new SearchMessages(g.mailbox),
      getAttachment: new GetAttachment(g.mailbox, { maxInlineBytes: attachmentMaxBytes }, large?.links),
      createDraft: new CreateDraft(g.mailbox, compose),
      updateDraft: new UpdateDraft(g.mailbox, compose),
      sendDraft: new SendDraft(g.mailbox),
      replyToMessage: new ReplyToMessage(g.mailbox),
      forwardMessage: new ForwardMessage(g.mailbox),
      moveMessage: new MoveMessage(g.mailbox),
      updateMessage: new UpdateMessage(g.mailbox),
      deleteMessage: new DeleteMessage(g.mailbox),
      attachmentMaxBytes,
      attachmentLinks: large !== undefined,
    }),
    ...calendarTools({ listEvents: new ListEvents(g.calendar) }),
    ...calendarActionTools({
      listCalendars: new ListCalendars(g.scheduling),
      getEvent: new GetEvent(g.scheduling),
      createEvent: new CreateEvent(g.scheduling),
      updateEvent: new UpdateEvent(g.scheduling),
      cancelEvent: new CancelEvent(g.scheduling),
      respondToEvent: new RespondToEvent(g.scheduling),
      findMeetingTimes: new FindMeetingTimes(g.scheduling),
      getSchedule: new GetSchedule(g.scheduling),
    }),
    ...filesTools({
      listDriveItems: new ListDriveItems(g.files),
      downloadFile: new DownloadFile(g.files, { maxInlineBytes: limits.inlineContentMaxBytes }, large?.links),
      uploadFile: new UploadFile(g.files, { maxSimpleUploadBytes: limits.simpleUploadMaxBytes }),
      inlineContentMaxBytes: limits.inlineContentMaxBytes,
    }),
    ...filesManageTools({
      getDriveItem: new GetDriveItem(g.driveItems),
      searchFiles: new SearchFiles(g.driveItems),
      listSharedWithMe: new ListSharedWithMe(g.driveItems),
      createFolder: new CreateFolder(g.driveItems),
      moveDriveItem: new MoveDriveItem(g.driveItems),
      copyDriveItem: new CopyDriveItem(g.driveItems),
      deleteDriveItem: new DeleteDriveItem(g.driveItems),
      createSharingLink: new CreateSharingLink(g.driveItems),
      listFileVersions: new ListFileVersions(g.driveItems),
    }),
    ...contactsTools({
      listContacts: new ListContacts(g.contacts),
      getContact: new GetContact(g.contacts),
      createContact: new CreateContact(g.contacts),
      updateContact: new UpdateContact(g.contacts),
      searchPeople: new SearchPeople(g.contacts),
    }),
    ...tasksTools({
      listTaskLists: new ListTaskLists(g.tasks),
      listTasks: new ListTasks(g.tasks),
      createTask: new CreateTask(g.tasks),
      completeTask: new CompleteTask(g.tasks),
    }),
    ...teamsTools({
      listChats: new ListChats(g.teams),
      listTeamsChannels: new ListTeamsChannels(g.teams),
      listTeamsMessages: new ListTeamsMessages(g.teams),
      sendTeamsMessage: new SendTeamsMessage(g.teams),
    }),
    ...(large ? uploadTools({ ...large, inlineContentMaxBytes: limits.inlineContentMaxBytes }) : []),
    ...searchTools({ search: new Search(g.search) }),
    ...authTools({ whoAmI: new WhoAmI(g.profile) }),
    ...(auth === undefined ? [] : authSessionTools(auth)),
  ];
  return all.filter((tool) => inDeploymentProfile(tool, config.tools));
}

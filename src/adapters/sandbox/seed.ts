import { escapeHtml } from './content.js';
import { exchangeId, guidFrom } from './ids.js';
import { createPrng, hashToUint32 } from './prng.js';
import type { Prng } from './prng.js';
import { SandboxTenant } from './sandbox-tenant.js';
import type {
  EmailAddress,
  SandboxTenantInfo,
  SandboxUser,
  StoredEvent,
  WellKnownFolder,
} from './sandbox-tenant.js';

/** Seeded dates are relative to this instant unless a base date is given, so the same seed gives the same tenant. */
export const DEFAULT_SANDBOX_BASE_DATE = '2026-01-12T09:00:00Z';
export const DEFAULT_SANDBOX_SEED = 42;

export const CONTOSO_TENANT: SandboxTenantInfo = {
  id: '4a1c9f3e-2b7d-4e8a-9c61-0f3d5b8e7a21',
  name: 'contoso',
  domain: 'contoso.example',
};
export const FABRIKAM_TENANT: SandboxTenantInfo = {
  id: '9e2b6d41-7c3a-4f95-8b0e-1d6a2c4f3b87',
  name: 'fabrikam',
  domain: 'fabrikam.example',
};
export const SEEDED_TENANTS: readonly SandboxTenantInfo[] = [CONTOSO_TENANT, FABRIKAM_TENANT];

function person(
  tenant: SandboxTenantInfo,
  id: string,
  givenName: string,
  surname: string,
  jobTitle: string,
): SandboxUser {
  const mail = `${givenName}.${surname}@${tenant.domain}`.toLowerCase();
  return {
    id,
    tenantId: tenant.id,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail,
    userPrincipalName: mail,
    jobTitle,
  };
}

/** The seeded users, identical for every seed (only their data varies with the seed). */
export const SEEDED_USERS: readonly SandboxUser[] = [
  person(CONTOSO_TENANT, '6e7b768e-07e2-4810-8459-485f84f8f204', 'Megan', 'Bowen', 'Marketing Manager'),
  person(CONTOSO_TENANT, '87d349ed-44d7-43e1-9a83-5f2406dee5bd', 'Alex', 'Wilber', 'Sales Representative'),
  person(CONTOSO_TENANT, '5c9b1c8e-a3d4-4f0b-8f6e-2d8a7b3c1e90', 'Adele', 'Vance', 'Retail Manager'),
  person(CONTOSO_TENANT, 'e3d0513b-449e-4198-ba6f-bd97ae7cae85', 'Lee', 'Gu', 'Director of Engineering'),
  person(CONTOSO_TENANT, '2ed03dfd-01d8-4005-a9ef-fa8ee546dc6c', 'Nestor', 'Wilke', 'Operations Director'),
  person(CONTOSO_TENANT, '47e4b3b6-1f2a-4c5d-9e8f-0a1b2c3d4e5f', 'Isaiah', 'Langer', 'Account Executive'),
  person(FABRIKAM_TENANT, 'b1f0c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'Diego', 'Siciliani', 'HR Manager'),
  person(FABRIKAM_TENANT, 'c8e7d6f5-a4b3-4c2d-9e1f-0a9b8c7d6e5f', 'Patti', 'Fernandez', 'President'),
];

/** Finds a seeded user by UPN, mail or display name (case-insensitive); throws for typos in tests. */
export function seededUser(nameOrAddress: string): SandboxUser {
  const lower = nameOrAddress.toLowerCase();
  const user = SEEDED_USERS.find(
    (u) =>
      u.userPrincipalName === lower ||
      u.displayName.toLowerCase() === lower ||
      u.givenName.toLowerCase() === lower,
  );
  if (!user) throw new Error(`no seeded user ${nameOrAddress}`);
  return user;
}

/** How many items seeding creates per user (tests rely on these). */
export const SEED_COUNTS = { inbox: 200, sentitems: 70, archive: 50, largeFolderFiles: 1200 } as const;
export const LARGE_FOLDER_NAME = 'Large Folder';

const EXTERNALS: readonly EmailAddress[] = [
  { name: 'Northwind Traders Newsletter', address: 'news@northwind.example' },
  { name: 'Tailspin Billing', address: 'billing@tailspin.example' },
  { name: 'Jordan Lee', address: 'jordan.lee@litware.example' },
  { name: 'Adatum Notifications', address: 'noreply@adatum.example' },
  { name: 'Sam Taylor', address: 'sam.taylor@woodgrove.example' },
];

const SUBJECTS: readonly string[] = [
  'Q3 budget review',
  'Contract renewal with Tailspin',
  'Design sprint notes',
  'Project Zephyr kickoff',
  'Apollo launch checklist',
  'Customer feedback summary',
  'Hiring plan for the platform team',
  'Security audit findings',
  'Quarterly revenue forecast',
  'Offsite agenda',
  'Invoice INV-2041 overdue',
  'Partner proposal draft',
  'Migration to the new CRM',
  'Weekly metrics dashboard',
  'Training schedule update',
  'Vendor onboarding documents',
  'Release notes for version 4.2',
  'Retail store visit recap',
  'Marketing campaign results',
  'Compliance training reminder',
];
const PREFIXES: readonly string[] = ['', '', '', 'RE: ', 'RE: ', 'FW: '];
const SENTENCES: readonly string[] = [
  'Please find the latest numbers attached for your review.',
  'Can we find thirty minutes this week to go over the open points?',
  'The team has finished the first draft and would appreciate feedback by Friday.',
  'I have updated the shared document with the comments from yesterday.',
  'Let me know if the proposed timeline works for your group.',
  'We are still waiting on legal before we can sign the contract.',
  'The customer asked for a follow-up call next Tuesday.',
  'Budget approval is expected at the end of the month.',
  'Great progress so far; a few risks are listed below.',
  'Could you confirm the attendee list for the workshop?',
];
const LOCATIONS: readonly string[] = [
  'Conf Room Rainier',
  'Conf Room Baker',
  'Building 4 Cafe',
  'Microsoft Teams Meeting',
  'Headquarters Lobby',
];
const MEETINGS: readonly string[] = [
  'Pipeline review',
  'Zephyr architecture deep dive',
  'Apollo go/no-go',
  '1:1',
  'Customer call: Litware',
  'Budget planning',
  'Interview: senior engineer',
  'Marketing sync',
  'Vendor demo',
  'Quarterly business review',
];

const DAY = 86_400_000;
const MINUTE = 60_000;

function address(user: SandboxUser): EmailAddress {
  return { name: user.displayName, address: user.mail };
}

function htmlBody(prng: Prng, greeting: string, signer: string, extra = ''): string {
  const paragraphs = Array.from(
    { length: prng.int(1, 3) },
    () => `<p>${escapeHtml(prng.pick(SENTENCES))} ${escapeHtml(prng.pick(SENTENCES))}</p>`,
  );
  return `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><p>Hi ${escapeHtml(greeting)},</p>${paragraphs.join('')}${extra}<p>Thanks,<br>${escapeHtml(signer)}</p></body></html>`;
}

function seedMail(
  world: SandboxTenant,
  user: SandboxUser,
  colleagues: SandboxUser[],
  seed: number,
  baseMs: number,
): void {
  const prng = createPrng(hashToUint32(seed, 'mail', user.id));
  const mailbox = world.mailbox(user.id);
  const others = (): EmailAddress =>
    prng.chance(0.65) && colleagues.length > 0 ? address(prng.pick(colleagues)) : prng.pick(EXTERNALS);
  const plan: Array<[WellKnownFolder, number, number, number]> = [
    ['inbox', SEED_COUNTS.inbox, 0, 60],
    ['sentitems', SEED_COUNTS.sentitems, 0, 90],
    ['archive', SEED_COUNTS.archive, 30, 90],
  ];
  for (const [folder, count, minAgeDays, maxAgeDays] of plan) {
    for (let i = 0; i < count; i++) {
      const topic = prng.pick(SUBJECTS);
      const subject = prng.pick(PREFIXES) + topic;
      const receivedMs =
        baseMs - Math.floor(((minAgeDays + prng.next() * (maxAgeDays - minAgeDays)) * DAY) / 1000) * 1000;
      const sent = folder === 'sentitems';
      const from = sent ? address(user) : others();
      const to = sent ? [others()] : [address(user)];
      const cc = prng.chance(0.25) ? [others()] : [];
      const hasAttachments = prng.chance(0.2);
      mailbox.add({
        id: exchangeId(seed, user.id, folder, i),
        folder,
        subject,
        bodyHtml: htmlBody(
          prng,
          sent ? ((to[0]?.name ?? 'there').split(' ')[0] ?? 'there') : user.givenName,
          from.name,
          hasAttachments ? '<p>See the attached file.</p>' : '',
        ),
        from,
        to,
        cc,
        bcc: [],
        receivedMs,
        sentMs: receivedMs - prng.int(1, 120) * 1000,
        isRead: folder !== 'inbox' || prng.chance(0.7),
        hasAttachments,
        importance: prng.chance(0.08) ? 'high' : prng.chance(0.05) ? 'low' : 'normal',
        conversationId: exchangeId(seed, user.id, 'conversation', topic).replace(/^AAMk/, 'AAQk'),
      });
    }
  }
}

function seedCalendar(
  world: SandboxTenant,
  user: SandboxUser,
  colleagues: SandboxUser[],
  seed: number,
  baseMs: number,
): void {
  const prng = createPrng(hashToUint32(seed, 'calendar', user.id));
  const calendar = world.calendar(user.id);
  const dayStart = Math.floor(baseMs / DAY) * DAY;
  let n = 0;
  const add = (
    e: Omit<StoredEvent, 'id' | 'bodyHtml' | 'organizer' | 'attendees' | 'joinUrl'> & {
      organizer?: SandboxUser;
      invitees: number;
    },
  ): void => {
    const id = exchangeId(seed, user.id, 'event', n++);
    const organizer = e.organizer ?? user;
    const pool = colleagues.filter((c) => c.id !== organizer.id);
    const invited = new Map<string, EmailAddress>();
    if (organizer.id !== user.id) invited.set(user.mail, address(user));
    while (invited.size < Math.min(e.invitees, pool.length)) {
      const p = prng.pick(pool);
      invited.set(p.mail, address(p));
    }
    if (prng.chance(0.15))
      invited.set(
        EXTERNALS[2]?.address ?? '',
        EXTERNALS[2] ?? { name: 'Guest', address: 'guest@litware.example' },
      );
    const { organizer: _o, invitees: _i, ...rest } = e;
    calendar.add({
      ...rest,
      id,
      bodyHtml: htmlBody(prng, 'all', organizer.displayName),
      organizer: address(organizer),
      attendees: [...invited.values()].map((emailAddress) => ({
        type: prng.chance(0.8) ? 'required' : 'optional',
        response: prng.pick(['accepted', 'accepted', 'tentativelyAccepted', 'declined', 'none'] as const),
        emailAddress,
      })),
      ...(e.isOnlineMeeting
        ? { joinUrl: `https://teams.sandbox.example/l/meetup-join/${guidFrom(seed, id)}` }
        : {}),
    });
  };
  for (let d = -30; d <= 30; d++) {
    const day = dayStart + d * DAY;
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    add({
      subject: 'Daily standup',
      startMs: day + 9 * 60 * MINUTE + 15 * MINUTE,
      endMs: day + 9 * 60 * MINUTE + 30 * MINUTE,
      isAllDay: false,
      location: 'Microsoft Teams Meeting',
      isOnlineMeeting: true,
      showAs: 'busy',
      isCancelled: false,
      type: 'occurrence',
      invitees: 3,
    });
    if (weekday === 1)
      add({
        subject: 'Weekly team sync',
        startMs: day + 14 * 60 * MINUTE,
        endMs: day + 15 * 60 * MINUTE,
        isAllDay: false,
        location: 'Conf Room Rainier',
        isOnlineMeeting: true,
        showAs: 'busy',
        isCancelled: prng.chance(0.1),
        type: 'occurrence',
        invitees: 4,
      });
    for (const probability of [0.7, 0.4]) {
      if (!prng.chance(probability)) continue;
      const start = day + prng.int(8 * 2, 16 * 2) * 30 * MINUTE;
      const online = prng.chance(0.6);
      add({
        subject: prng.pick(MEETINGS),
        startMs: start,
        endMs: start + prng.pick([30, 60, 90]) * MINUTE,
        isAllDay: false,
        location: online ? 'Microsoft Teams Meeting' : prng.pick(LOCATIONS),
        isOnlineMeeting: online,
        showAs: prng.chance(0.85) ? 'busy' : 'tentative',
        isCancelled: prng.chance(0.05),
        type: 'singleInstance',
        invitees: prng.int(1, 4),
        ...(prng.chance(0.4) && colleagues.length > 0 ? { organizer: prng.pick(colleagues) } : {}),
      });
    }
  }
  for (const [offset, subject, showAs] of [
    [-20, 'Company holiday', 'oof'],
    [-6, 'Sales kickoff offsite', 'workingElsewhere'],
    [3, 'Team offsite', 'workingElsewhere'],
    [12, 'Vacation', 'oof'],
  ] as const) {
    add({
      subject,
      startMs: dayStart + offset * DAY,
      endMs: dayStart + (offset + 1) * DAY,
      isAllDay: true,
      location: '',
      isOnlineMeeting: false,
      showAs,
      isCancelled: false,
      type: 'singleInstance',
      invitees: 0,
    });
  }
}

const FILE_KINDS: ReadonlyArray<{ ext: string; mime: string; textual: boolean; min: number; max: number }> = [
  {
    ext: 'docx',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    textual: false,
    min: 12_000,
    max: 400_000,
  },
  {
    ext: 'xlsx',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    textual: false,
    min: 8_000,
    max: 300_000,
  },
  {
    ext: 'pptx',
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    textual: false,
    min: 50_000,
    max: 2_000_000,
  },
  { ext: 'pdf', mime: 'application/pdf', textual: false, min: 20_000, max: 1_500_000 },
  { ext: 'txt', mime: 'text/plain', textual: true, min: 300, max: 40_000 },
  { ext: 'md', mime: 'text/markdown', textual: true, min: 300, max: 20_000 },
  { ext: 'csv', mime: 'text/csv', textual: true, min: 500, max: 60_000 },
];
const PICTURE = { ext: 'jpg', mime: 'image/jpeg', textual: false, min: 40_000, max: 3_000_000 };
const FILE_TOPICS: readonly string[] = [
  'Budget',
  'Roadmap',
  'Meeting notes',
  'Proposal',
  'Forecast',
  'Campaign plan',
  'Architecture',
  'Status report',
  'Contract',
  'Onboarding guide',
  'Zephyr design',
  'Apollo plan',
];

export const SEEDED_FOLDERS: readonly string[] = [
  'Documents',
  'Documents/Reports',
  'Pictures',
  'Projects',
  'Projects/Apollo',
  'Projects/Zephyr',
  'Shared',
  LARGE_FOLDER_NAME,
];

function seedDrive(world: SandboxTenant, user: SandboxUser, seed: number, baseMs: number): void {
  const prng = createPrng(hashToUint32(seed, 'drive', user.id));
  const drive = world.drive(user.id);
  const createdMs = baseMs - 400 * DAY;
  const folderIds = new Map<string, string>([['', drive.rootId]]);
  for (const path of SEEDED_FOLDERS) {
    const slash = path.lastIndexOf('/');
    const parentId = folderIds.get(slash < 0 ? '' : path.slice(0, slash)) ?? drive.rootId;
    const node = drive.add(
      {
        name: path.slice(slash + 1),
        parentId,
        isFolder: true,
        size: 0,
        createdMs,
        modifiedMs: createdMs + prng.int(0, 300) * DAY,
      },
      `${seed}:${path}`,
    );
    folderIds.set(path, node.id);
  }
  const addFile = (folder: string, name: string, kind: (typeof FILE_KINDS)[number]): void => {
    const parentId = folderIds.get(folder) ?? drive.rootId;
    if (drive.child(parentId, name)) return;
    const fileCreated = baseMs - prng.int(1, 360) * DAY - prng.int(0, 86_399) * 1000;
    drive.add(
      {
        name,
        parentId,
        isFolder: false,
        size: prng.int(kind.min, kind.max),
        createdMs: fileCreated,
        modifiedMs: Math.min(baseMs, fileCreated + prng.int(0, 60) * DAY),
        mimeType: kind.mime,
        content: {
          kind: 'generated',
          seed: hashToUint32(seed, user.id, folder, name),
          textual: kind.textual,
        },
      },
      `${seed}:${folder}/${name}`,
    );
  };
  const plan: Array<[string, number]> = [
    ['', 10],
    ['Documents', 30],
    ['Documents/Reports', 25],
    ['Projects/Apollo', 20],
    ['Projects/Zephyr', 20],
    ['Shared', 15],
  ];
  for (const [folder, count] of plan) {
    for (let i = 0; i < count; i++) {
      const kind =
        folder === 'Documents/Reports' && prng.chance(0.5)
          ? (FILE_KINDS[6] ?? prng.pick(FILE_KINDS))
          : prng.pick(FILE_KINDS);
      addFile(
        folder,
        `${prng.pick(FILE_TOPICS)} ${2024 + prng.int(0, 2)}-${String(prng.int(1, 12)).padStart(2, '0')} v${i + 1}.${kind.ext}`,
        kind,
      );
    }
  }
  for (let i = 0; i < 30; i++) addFile('Pictures', `IMG_${String(4000 + i * 7)}.${PICTURE.ext}`, PICTURE);
  const csv = FILE_KINDS[6] ?? PICTURE;
  for (let i = 1; i <= SEED_COUNTS.largeFolderFiles; i++)
    addFile(LARGE_FOLDER_NAME, `record-${String(i).padStart(4, '0')}.csv`, { ...csv, min: 200, max: 2_000 });
}

export interface SeedOptions {
  seed?: number;
  /** ISO instant seeded dates are relative to; default DEFAULT_SANDBOX_BASE_DATE. */
  baseDate?: string | Date;
}

/** Builds the demo world: tenant contoso (6 users) and fabrikam (2 users), each user with mail, calendar and OneDrive. */
export function createSeededTenant(options: SeedOptions = {}): SandboxTenant {
  const seed = options.seed ?? DEFAULT_SANDBOX_SEED;
  const baseMs = new Date(options.baseDate ?? DEFAULT_SANDBOX_BASE_DATE).getTime();
  if (Number.isNaN(baseMs)) throw new Error(`invalid sandbox base date ${String(options.baseDate)}`);
  const world = new SandboxTenant(seed);
  for (const tenant of SEEDED_TENANTS) world.addTenant(tenant);
  for (const user of SEEDED_USERS) world.addUser({ ...user }, baseMs - 400 * DAY);
  for (const user of SEEDED_USERS) {
    const colleagues = SEEDED_USERS.filter((u) => u.tenantId === user.tenantId && u.id !== user.id);
    seedMail(world, user, colleagues, seed, baseMs);
    seedCalendar(world, user, colleagues, seed, baseMs);
    seedDrive(world, user, seed, baseMs);
  }
  return world;
}

/** Outlook accepts IANA and Windows time zone names in `Prefer: outlook.timezone`; the common Windows ones map here. */
const WINDOWS_TO_IANA: Record<string, string> = {
  utc: 'UTC',
  'pacific standard time': 'America/Los_Angeles',
  'mountain standard time': 'America/Denver',
  'central standard time': 'America/Chicago',
  'eastern standard time': 'America/New_York',
  'gmt standard time': 'Europe/London',
  'w. europe standard time': 'Europe/Berlin',
  'romance standard time': 'Europe/Paris',
  'central europe standard time': 'Europe/Budapest',
  'e. europe standard time': 'Europe/Chisinau',
  'india standard time': 'Asia/Kolkata',
  'china standard time': 'Asia/Shanghai',
  'tokyo standard time': 'Asia/Tokyo',
  'aus eastern standard time': 'Australia/Sydney',
  'singapore standard time': 'Asia/Singapore',
  'hawaiian standard time': 'Pacific/Honolulu',
  'alaskan standard time': 'America/Anchorage',
};

/** The IANA zone for a requested name, or undefined when neither table nor ICU knows it. */
export function resolveTimeZone(name: string): string | undefined {
  const mapped = WINDOWS_TO_IANA[name.trim().toLowerCase()];
  if (mapped) return mapped;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name.trim() });
    return name.trim();
  } catch {
    return undefined;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock time of an instant in a zone, in Graph's dateTimeTimeZone form "2026-01-12T09:00:00.0000000". */
export function wallClock(ms: number, ianaZone: string): string {
  let fmt = formatters.get(ianaZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: ianaZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(ianaZone, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.0000000`;
}

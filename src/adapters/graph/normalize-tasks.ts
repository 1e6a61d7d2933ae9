import type { NewTask, TaskList, TodoTask } from '../../domain/tasks.js';
import { isoDate, obj, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

const STATUSES = ['notStarted', 'inProgress', 'completed', 'waitingOnOthers', 'deferred'] as const;
const IMPORTANCES = ['low', 'normal', 'high'] as const;

export function toTaskList(raw: Json): TaskList {
  return { id: requireId(raw), name: str(raw.displayName) ?? '', isDefault: raw.wellknownListName === 'defaultList' };
}

/** `{dateTime, timeZone}` as To Do sends it (UTC, seven fractional digits, no offset). */
function instant(value: unknown): string | undefined {
  const v = obj(value);
  const dt = str(v.dateTime);
  if (dt === undefined) return undefined;
  const zone = str(v.timeZone) ?? 'UTC';
  return isoDate(zone.toUpperCase() === 'UTC' && !/[zZ]|[+-]\d\d:\d\d$/.test(dt) ? `${dt}Z` : dt);
}

export function toTodoTask(raw: Json): TodoTask {
  const status = str(raw.status);
  const importance = str(raw.importance);
  const t: TodoTask = {
    id: requireId(raw),
    title: str(raw.title) ?? '',
    status: (STATUSES as readonly string[]).includes(status ?? '') ? (status as TodoTask['status']) : 'notStarted',
    importance: (IMPORTANCES as readonly string[]).includes(importance ?? '') ? (importance as TodoTask['importance']) : 'normal',
  };
  const due = instant(raw.dueDateTime);
  if (due !== undefined) t.dueDate = due.slice(0, 10);
  const completed = instant(raw.completedDateTime);
  if (completed !== undefined && t.status === 'completed') t.completedAt = completed;
  const body = str(obj(raw.body).content);
  if (body !== undefined && body !== '') t.body = body;
  return t;
}

export function taskJson(task: NewTask): Json {
  return {
    title: task.title,
    ...(task.body === undefined ? {} : { body: { content: task.body, contentType: 'text' } }),
    ...(task.dueDate === undefined ? {} : { dueDateTime: { dateTime: `${task.dueDate}T00:00:00`, timeZone: 'UTC' } }),
    ...(task.importance === undefined ? {} : { importance: task.importance }),
  };
}

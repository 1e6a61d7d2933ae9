import { invalidInput } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { NewTask, TodoTask } from '../tasks.js';
import { hasControlChars, hasLoneSurrogate } from '../text.js';
import type { TasksGateway } from '../../ports/tasks-gateway.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Adds a task to a To Do list. */
export class CreateTask {
  constructor(private readonly tasks: TasksGateway) {}

  execute(caller: Identity, input: NewTask & { listId: string }): Promise<TodoTask> {
    const title = input.title.trim();
    if (title === '' || title.length > 255 || hasControlChars(title)) throw invalidInput('tasks.invalidTitle', 'The title must be one line of 1 to 255 characters.');
    const task: NewTask = { title };
    if (input.body !== undefined) {
      if (input.body.length > 10_000 || input.body.includes('\u0000') || hasLoneSurrogate(input.body)) throw invalidInput('tasks.invalidBody', 'The note must be text of at most 10000 characters.');
      task.body = input.body;
    }
    if (input.dueDate !== undefined) {
      const ms = Date.parse(`${input.dueDate}T00:00:00Z`);
      if (!DATE.test(input.dueDate) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== input.dueDate) {
        throw invalidInput('tasks.invalidDueDate', 'dueDate must be a calendar date like 2026-03-31.');
      }
      task.dueDate = input.dueDate;
    }
    if (input.importance !== undefined) task.importance = input.importance;
    return this.tasks.createTask(caller, requireGraphId(input.listId, 'tasks.invalidListId', 'The list id'), task);
  }
}

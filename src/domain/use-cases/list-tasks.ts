import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import type { TodoTask } from '../tasks.js';
import type { TasksGateway } from '../../ports/tasks-gateway.js';

export const LIST_TASKS_LIMITS = { defaultPageSize: 50, maxPageSize: 100 } as const;

/** Tasks of one To Do list; open ones only unless asked. */
export class ListTasks {
  constructor(private readonly tasks: TasksGateway) {}

  execute(caller: Identity, input: PageRequest & { listId: string; includeCompleted?: boolean }): Promise<Page<TodoTask>> {
    const pageSize = clampPageSize(input.pageSize, LIST_TASKS_LIMITS.defaultPageSize, LIST_TASKS_LIMITS.maxPageSize);
    const listId = requireGraphId(input.listId, 'tasks.invalidListId', 'The list id');
    return this.tasks.listTasks(caller, listId, input.includeCompleted ?? false, pageSize, validateCursor(input.cursor));
  }
}

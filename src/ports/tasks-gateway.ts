import type { Identity } from '../domain/identity.js';
import type { Page } from '../domain/paging.js';
import type { NewTask, TaskList, TodoTask } from '../domain/tasks.js';

/** Microsoft To Do lists and tasks. */
export interface TasksGateway {
  listLists(caller: Identity): Promise<TaskList[]>;
  listTasks(caller: Identity, listId: string, includeCompleted: boolean, pageSize: number, cursor?: string): Promise<Page<TodoTask>>;
  createTask(caller: Identity, listId: string, task: NewTask): Promise<TodoTask>;
  completeTask(caller: Identity, listId: string, taskId: string): Promise<TodoTask>;
}

import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { NewTask, TaskList, TodoTask } from '../../domain/tasks.js';
import type { TasksGateway } from '../../ports/tasks-gateway.js';
import { decodeNextLink, encodeNextLink } from './graph-cursor.js';
import type { GraphHttpClient, GraphRequest } from './graph-http-client.js';
import { segment } from './graph-path.js';
import { listOf, obj } from './graph-values.js';
import { taskJson, toTaskList, toTodoTask } from './normalize-tasks.js';

const TASKS_RESOURCE = /^\/me\/todo\/lists\/[^/]+\/tasks$/;
/** To Do has few lists; one generous page is all of them in practice. */
const LISTS_TOP = 100;

export class HttpTasksGateway implements TasksGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  private call<T>(caller: Identity, req: Omit<GraphRequest, 'family'>): Promise<T> {
    return this.graph.request<T>(caller, { family: 'tasks', ...req });
  }

  async listLists(caller: Identity): Promise<TaskList[]> {
    const body = await this.call<unknown>(caller, { operation: 'tasks.listLists', method: 'GET', path: '/me/todo/lists', query: { $top: LISTS_TOP }, idempotent: true });
    return listOf(body).items.map(toTaskList);
  }

  async listTasks(caller: Identity, listId: string, includeCompleted: boolean, pageSize: number, cursor?: string): Promise<Page<TodoTask>> {
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, TASKS_RESOURCE) }
        : { path: `/me/todo/lists/${segment(listId)}/tasks`, query: { $top: pageSize, $filter: includeCompleted ? undefined : "status ne 'completed'" } };
    const body = await this.call<unknown>(caller, { operation: 'tasks.list', method: 'GET', idempotent: true, ...request });
    const { items, nextLink } = listOf(body);
    const page: Page<TodoTask> = { items: items.map(toTodoTask) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async createTask(caller: Identity, listId: string, task: NewTask): Promise<TodoTask> {
    const body = await this.call<unknown>(caller, { operation: 'tasks.create', method: 'POST', path: `/me/todo/lists/${segment(listId)}/tasks`, body: taskJson(task), idempotent: false });
    return toTodoTask(obj(body));
  }

  async completeTask(caller: Identity, listId: string, taskId: string): Promise<TodoTask> {
    const body = await this.call<unknown>(caller, {
      operation: 'tasks.complete',
      method: 'PATCH',
      path: `/me/todo/lists/${segment(listId)}/tasks/${segment(taskId)}`,
      body: { status: 'completed' },
      idempotent: true,
    });
    return toTodoTask(obj(body));
  }
}

import { z } from 'zod';
import type { CompleteTask } from '../../../domain/use-cases/complete-task.js';
import type { CreateTask } from '../../../domain/use-cases/create-task.js';
import type { ListTaskLists } from '../../../domain/use-cases/list-task-lists.js';
import { LIST_TASKS_LIMITS, type ListTasks } from '../../../domain/use-cases/list-tasks.js';
import { CREATES, READ_ONLY, UPDATES, defineTool, type ToolDefinition } from './tool-definition.js';
import { cursorInput, idempotencyKeyInput, nextCursor, pageSizeInput } from './schemas.js';

export interface TasksToolDeps {
  listTaskLists: ListTaskLists;
  listTasks: ListTasks;
  createTask: CreateTask;
  completeTask: CompleteTask;
}

const listId = z.string().min(1).max(512).describe('From tasks_list_lists.');
const task = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['notStarted', 'inProgress', 'completed', 'waitingOnOthers', 'deferred']),
  importance: z.enum(['low', 'normal', 'high']),
  dueDate: z.string().optional(),
  completedAt: z.string().optional(),
  body: z.string().optional(),
});

export function tasksTools(deps: TasksToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'tasks_list_lists',
      family: 'tasks',
      title: 'List To Do lists',
      description: 'Your Microsoft To Do lists; isDefault marks "Tasks".',
      input: z.object({}),
      output: z.object({ lists: z.array(z.object({ id: z.string(), name: z.string(), isDefault: z.boolean() })) }),
      annotations: READ_ONLY,
      run: async ({ caller }) => ({ lists: await deps.listTaskLists.execute(caller) }),
    }),
    defineTool({
      name: 'tasks_list',
      family: 'tasks',
      title: 'List tasks',
      description: 'Open tasks of a list (all with includeCompleted).',
      input: z.object({ listId, includeCompleted: z.boolean().optional(), pageSize: pageSizeInput(LIST_TASKS_LIMITS.maxPageSize, LIST_TASKS_LIMITS.defaultPageSize), cursor: cursorInput }),
      output: z.object({ tasks: z.array(task), nextCursor }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.listTasks.execute(caller, input);
        return { tasks: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'tasks_create',
      family: 'tasks',
      title: 'Create a task',
      description: 'Add a task to a list.',
      input: z.object({
        listId,
        title: z.string().min(1).max(255),
        body: z.string().max(10_000).optional(),
        dueDate: z.iso.date().optional(),
        importance: z.enum(['low', 'normal', 'high']).optional(),
        idempotency_key: idempotencyKeyInput,
      }),
      output: task,
      annotations: CREATES,
      run: ({ caller }, { idempotency_key: _key, ...input }) => deps.createTask.execute(caller, input),
    }),
    defineTool({
      name: 'tasks_complete',
      family: 'tasks',
      title: 'Complete a task',
      description: 'Mark a task completed.',
      input: z.object({ listId, taskId: z.string().min(1).max(512) }),
      output: task,
      annotations: UPDATES,
      run: ({ caller }, input) => deps.completeTask.execute(caller, input),
    }),
  ];
}

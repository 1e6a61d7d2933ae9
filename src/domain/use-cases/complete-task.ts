import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { TodoTask } from '../tasks.js';
import type { TasksGateway } from '../../ports/tasks-gateway.js';

/** Marks a task completed (completing it again changes nothing). */
export class CompleteTask {
  constructor(private readonly tasks: TasksGateway) {}

  execute(caller: Identity, input: { listId: string; taskId: string }): Promise<TodoTask> {
    return this.tasks.completeTask(
      caller,
      requireGraphId(input.listId, 'tasks.invalidListId', 'The list id'),
      requireGraphId(input.taskId, 'tasks.invalidTaskId', 'The task id'),
    );
  }
}

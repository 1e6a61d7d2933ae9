import type { Identity } from '../identity.js';
import type { TaskList } from '../tasks.js';
import type { TasksGateway } from '../../ports/tasks-gateway.js';

/** The user's To Do lists, the default ("Tasks") flagged. */
export class ListTaskLists {
  constructor(private readonly tasks: TasksGateway) {}

  execute(caller: Identity): Promise<TaskList[]> {
    return this.tasks.listLists(caller);
  }
}

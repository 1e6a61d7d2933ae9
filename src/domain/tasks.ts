/** A Microsoft To Do list. */
export interface TaskList {
  id: string;
  name: string;
  isDefault: boolean;
}

export type TaskImportance = 'low' | 'normal' | 'high';

export interface TodoTask {
  id: string;
  title: string;
  status: 'notStarted' | 'inProgress' | 'completed' | 'waitingOnOthers' | 'deferred';
  importance: TaskImportance;
  /** Calendar date (YYYY-MM-DD) the task is due. */
  dueDate?: string;
  completedAt?: string;
  body?: string;
}

export interface NewTask {
  title: string;
  body?: string;
  dueDate?: string;
  importance?: TaskImportance;
}

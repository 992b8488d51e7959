import type { PubSub } from "../pubsub/pubsub.ts";

/** The pub/sub channel on which every node hears requests about running tasks. */
export const TASK_CONTROL_CHANNEL = "tasks:control";

/** A request to whichever node holds a task. */
export type TaskControlMessage = { type: "cancel"; taskId: string };

/** Asks every node to cancel `taskId`: the one running it aborts it, or the one that can dequeue it ends it. */
export function publishCancel(pubsub: PubSub, taskId: string): Promise<void> {
  return pubsub.publish(TASK_CONTROL_CHANNEL, { type: "cancel", taskId } satisfies TaskControlMessage);
}

// The minute tick: node-cron in the campaign clock's zone, never overlapping itself. Each tick runs the jobs in
// order (the planner, then broadcast bookkeeping); one failing job is logged and does not stop the others.
import cron from "node-cron";
import type { Logger } from "../logger.js";

export type Job = { name: string; run(now: Date): Promise<unknown> };

export interface Scheduler {
  /** One tick now (also used at start, so catch-up does not wait for the first minute). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(options: { jobs: Job[]; timezone: string; now: () => Date; logger: Logger }): Scheduler {
  const { jobs, logger } = options;
  let running: Promise<void> | null = null;

  const tick = (): Promise<void> => {
    // A tick still running when the next minute comes is not doubled (node-cron's noOverlap guards its own calls;
    // this guards the start-up tick too).
    running ??= (async () => {
      const now = options.now();
      for (const job of jobs) {
        try {
          await job.run(now);
        } catch (error) {
          logger.error({ err: error, job: job.name }, "scheduled job failed");
        }
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const task = cron.schedule("* * * * *", () => tick(), { timezone: options.timezone, noOverlap: true, name: "minute-tick" });

  return {
    tick,
    async stop() {
      await task.stop();
      await running;
    },
  };
}

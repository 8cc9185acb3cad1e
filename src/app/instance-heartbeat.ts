// This process as an Instance: registered at start with a random id, a heartbeat every INSTANCE_HEARTBEAT_SECONDS,
// removed on a graceful stop. Other instances take over the update claims of an instance silent for three intervals
// (a SIGKILLed process, a machine gone), so an update interrupted by a crash is handled when it is delivered again.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../logger.js";
import type { InstanceRepository } from "./ports.js";

/** Heartbeats an instance may miss before others take it for dead. */
export const MISSED_BEATS_DEAD = 3;
/** Instances silent this long are deleted from the table at start (their claims were taken over long ago). */
export const PRUNE_AFTER_MS = 24 * 3_600_000;

export interface HeartbeatOptions {
  instances: InstanceRepository;
  intervalMs: number;
  now: () => Date;
  logger: Logger;
  /** Default: `<hostname>:<pid>:<random>`. */
  id?: string;
}

export interface Heartbeat {
  /** What createInbound needs: this instance's id and when another instance counts as dead. */
  readonly instance: { id: string; deadAfterMs: number };
  /** Stops beating and removes the instance (call after the channels stopped: no claim is held any more). */
  stop(): Promise<void>;
}

export async function startHeartbeat(options: HeartbeatOptions): Promise<Heartbeat> {
  const { instances, intervalMs, now, logger } = options;
  if (!(intervalMs > 0)) throw new RangeError("heartbeat: intervalMs must be greater than 0");
  const id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const deadAfterMs = MISSED_BEATS_DEAD * intervalMs;
  const startedAt = now();
  const info = { id, hostname: hostname(), pid: process.pid, startedAt };
  await instances.register(info, startedAt);
  const pruned = await instances.prune(new Date(startedAt.getTime() - Math.max(PRUNE_AFTER_MS, 10 * deadAfterMs)));
  logger.info({ instanceId: id, heartbeatMs: intervalMs, deadAfterMs, pruned }, "instance registered");

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let lastBeat = Date.now();

  async function beat(): Promise<void> {
    const at = now();
    const late = Date.now() - lastBeat;
    if (late > deadAfterMs) {
      logger.warn({ instanceId: id, silentMs: late }, "heartbeat: this instance was silent long enough to be taken for dead; others may have taken over its update claims");
    }
    try {
      if (!(await instances.beat(id, at))) {
        logger.warn({ instanceId: id }, "heartbeat: this instance's row was gone (pruned or removed); registering again");
        await instances.register(info, at);
      }
      lastBeat = Date.now();
    } catch (error) {
      logger.warn({ instanceId: id, err: error }, "heartbeat: could not record this instance's heartbeat; retrying");
    }
  }

  const schedule = () => {
    timer = setTimeout(() => {
      current = beat().finally(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    instance: { id, deadAfterMs },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
      try {
        await instances.remove(id);
      } catch (error) {
        logger.warn({ instanceId: id, err: error }, "heartbeat: could not remove this instance; it is pruned later");
      }
    },
  };
}

// A stop always stops. SIGTERM or SIGINT runs the graceful stop (scheduler, sends in flight, channels, server,
// database) once; if it has not finished within the deadline, the process exits anyway with the reason logged, and a
// second signal exits at once (an operator pressing Ctrl-C twice, a supervisor that lost patience).
import type { Logger } from "./logger.js";

export const SHUTDOWN_SIGNALS = ["SIGTERM", "SIGINT"] as const;

export interface ShutdownOptions {
  logger: Logger;
  /** The hard deadline for the graceful stop. */
  timeoutMs: number;
  /** The graceful stop; the process exits 0 when it resolves. */
  stop(signal: string): Promise<void>;
  /** Tests inject these; defaults: process.exit and the process's own signals. */
  exit?: (code: number) => void;
  signals?: Pick<NodeJS.Process, "on">;
}

export function exitOnSignals(options: ShutdownOptions): void {
  const { logger, timeoutMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, "second stop signal: exiting now, without finishing the graceful stop");
      return exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutSeconds: timeoutMs / 1000 }, "shutting down");
    // unref: the deadline alone never keeps the process alive.
    setTimeout(() => {
      logger.error({ timeoutSeconds: timeoutMs / 1000 }, "graceful stop did not finish within SHUTDOWN_TIMEOUT_SECONDS: exiting anyway");
      exit(1);
    }, timeoutMs).unref();
    options.stop(signal).then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "graceful stop failed: exiting");
        exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) (options.signals ?? process).on(signal, () => onSignal(signal));
}

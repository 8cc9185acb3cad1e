// Where log lines go when they are not pretty-printed: stdout, written synchronously, a line at a time, never
// blocking the bot and never throwing.
//
// Why not pino's default (sonic-boom, asynchronous): it buffers lines and, at process exit, flushes the buffer with
// flushSync(), which retries a failed write forever (sleeping 100 ms between tries) whatever the error. When the
// reader of our stdout has gone (`npm start | pino-pretty` on Ctrl-C, a supervisor that exited), every write fails
// with EPIPE, so the "shutting down" line still buffered at process.exit() kept the process alive for ever, holding
// its port and database (issue 9, point 8). Here a write that fails because the reader is gone (EPIPE, EBADF, …)
// turns the destination off for good; a reader that is merely slow (EAGAIN on the non-blocking pipe) costs at most
// a few milliseconds before the line is dropped — a log line is never worth stalling every chat for.
import { writeSync } from "node:fs";

export interface LineDestination {
  write(line: string): void;
  /** Lines dropped because the reader was too slow, and whether the reader is gone. */
  readonly stats: { dropped: number; closed: boolean };
}

/** How often, and how long each time, a write on a full pipe is retried before the line is dropped. */
const FULL_PIPE_RETRIES = 5;
const FULL_PIPE_WAIT_MS = 1;
const pause = new Int32Array(new SharedArrayBuffer(4));

export function lineDestination(fd: number, write: (fd: number, data: Buffer) => number = (f, d) => writeSync(f, d)): LineDestination {
  const stats = { dropped: 0, closed: false };
  // After a line was dropped, the next one is tried once without waiting, until a write goes through again.
  let congested = false;
  return {
    stats,
    write(line) {
      if (stats.closed) return;
      let rest = Buffer.from(line, "utf8");
      let retries = congested ? 0 : FULL_PIPE_RETRIES;
      while (rest.length > 0) {
        try {
          rest = rest.subarray(write(fd, rest));
          congested = false;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== "EAGAIN" && code !== "EWOULDBLOCK") {
            stats.closed = true;
            return;
          }
          if (retries-- <= 0) {
            stats.dropped++;
            congested = true;
            return;
          }
          Atomics.wait(pause, 0, 0, FULL_PIPE_WAIT_MS);
        }
      }
    },
  };
}

// A logger whose output a test reads: plain pino at debug, WITHOUT the project's redaction (src/logger.ts is the
// safety net, not the plan), so a test can see whether the code itself keeps tokens and personal data out of its logs.
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "../../src/logger.js";

export type LogRecord = Record<string, unknown> & { msg: string; level: number };

export interface CapturedLogger {
  logger: Logger;
  /** Every line written so far, as written (one JSON object each). */
  lines: string[];
  /** The lines parsed. */
  records(): LogRecord[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: "debug", base: undefined }, stream), lines, records: () => lines.map((l) => JSON.parse(l) as LogRecord) };
}

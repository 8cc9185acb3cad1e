// The one line printed when start-up fails: what went wrong and, where we know it, what to do about it.

/** "Start-up failed: …" for an error thrown while starting. */
export function startupFailureMessage(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e?.code === "EADDRINUSE") {
    const port = e.port ?? "the port";
    return `Start-up failed: port ${port} is already in use (another congdoan-bot, or another program); set PORT to a free port, e.g. PORT=${typeof e.port === "number" ? e.port + 1 : 3001} npm start`;
  }
  return error instanceof Error ? `Start-up failed: ${error.message}` : `Start-up failed: ${String(error)}`;
}

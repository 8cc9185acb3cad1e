// The SQLite database holds members' names, phone numbers and commitments: its file is readable and writable by its
// owner only (0600). SQLite creates the -wal and -shm files with the database file's mode, so they follow.
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";

export const PRIVATE_FILE_MODE = 0o600;

/** Creates `file` with mode 0600 when it does not exist yet, and narrows the mode of an existing one (and its WAL files). */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

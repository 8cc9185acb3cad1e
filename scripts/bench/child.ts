// Runs a bench child (compiled: scripts/bench/compile.ts, then `node <file>.mjs`) with its job in BENCH_JOB, waits for the one result it sends over
// IPC, and kills it (SIGKILL) when it overruns its time cap. The child's stderr is passed through.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { compileChild } from "./compile.js";

export { ROOT } from "./compile.js";
import { ROOT } from "./compile.js";

export interface ChildRun<T> {
  pid: number;
  result: Promise<T>;
}

export async function runChild<T>(file: string, job: unknown, capMs: number, nodeFlags: string[] = []): Promise<ChildRun<T>> {
  const compiled = await compileChild(fileURLToPath(new URL(file, import.meta.url)));
  const child = spawn(process.execPath, [...nodeFlags, compiled], {
    cwd: ROOT,
    env: { ...process.env, BENCH_JOB: JSON.stringify(job) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const result = new Promise<T>((resolve, reject) => {
    let message: T | undefined;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file}: no result within ${Math.round(capMs / 1000)} s; killed`));
    }, capMs);
    child.on("message", (m) => (message = m as T));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (message !== undefined) resolve(message);
      else reject(new Error(`${file} exited (${signal ?? code}) without a result`));
    });
  });
  return { pid: child.pid ?? -1, result };
}

/** A long-running child (a server): its first IPC message, then stop() sends "stop" and waits (SIGKILL after 10 s). */
export async function runChildWithMessages<T>(file: string, job: unknown) {
  const compiled = await compileChild(fileURLToPath(new URL(file, import.meta.url)));
  const child = spawn(process.execPath, [compiled], {
    cwd: ROOT,
    env: { ...process.env, BENCH_JOB: JSON.stringify(job) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    pid: child.pid ?? -1,
    first: (timeoutMs: number) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${file}: no message within ${timeoutMs} ms`)), timeoutMs);
        child.once("message", (m) => {
          clearTimeout(timer);
          resolve(m as T);
        });
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`${file} exited (${code}) before its first message`));
        });
      }),
    async stop() {
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      if (child.connected) child.send("stop");
      else child.kill("SIGTERM");
      await exited;
      clearTimeout(timer);
    },
  };
}

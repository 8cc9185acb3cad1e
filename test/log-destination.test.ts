// The log destination never throws and never blocks for long: a gone reader turns it off, a full pipe drops the line.
import { describe, expect, it } from "vitest";
import { lineDestination } from "../src/log-destination.js";

const errno = (code: string) => Object.assign(new Error(code), { code });

describe("lineDestination", () => {
  it("writes whole lines, also when the kernel takes them in parts", () => {
    const written: string[] = [];
    const out = lineDestination(1, (_fd, data) => {
      const n = Math.min(3, data.length);
      written.push(data.subarray(0, n).toString());
      return n;
    });
    out.write("hello\n");
    expect(written.join("")).toBe("hello\n");
    expect(out.stats).toEqual({ dropped: 0, closed: false });
  });

  it("EPIPE (the reader is gone): no throw, and no write is tried again", () => {
    let calls = 0;
    const out = lineDestination(1, () => {
      calls++;
      throw errno("EPIPE");
    });
    expect(() => out.write("a\n")).not.toThrow();
    expect(() => out.write("b\n")).not.toThrow();
    expect(calls).toBe(1);
    expect(out.stats.closed).toBe(true);
  });

  it("EAGAIN (a full pipe): a few short retries, then the line is dropped; the next line is tried once", () => {
    let calls = 0;
    const out = lineDestination(1, () => {
      calls++;
      throw errno("EAGAIN");
    });
    const started = Date.now();
    out.write("a\n");
    expect(Date.now() - started).toBeLessThan(100);
    expect(calls).toBe(6);
    out.write("b\n");
    expect(calls).toBe(7);
    expect(out.stats).toEqual({ dropped: 2, closed: false });
  });
});

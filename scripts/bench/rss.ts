// Resident set size of this process: sampled every `everyMs` (default 50 ms) with process.memoryUsage.rss() (the cheap
// form of process.memoryUsage().rss, which walks the heap), the V8 heap once a second for the breakdown, and the
// kernel's own high-water mark (VmHWM in /proc/self/status, Linux), which also catches a peak between two samples.
import { readFileSync } from "node:fs";

export const MB = 1024 * 1024;

export interface RssSampler {
  /** Starts a new phase: its peak is reported separately. */
  phase(name: string): void;
  stop(): RssReport;
}

export interface RssReport {
  /** Highest sample, in MB. */
  peakMb: number;
  /** The kernel's high-water mark for the whole process life, in MB (null off Linux). */
  hwmMb: number | null;
  /** The first sample (after start-up and imports), in MB. */
  startMb: number;
  /** The V8 heap in use / reserved at its highest (sampled once a second), in MB. */
  heapUsedPeakMb: number;
  heapTotalPeakMb: number;
  /** Memory of Buffers and other objects outside the V8 heap (process.memoryUsage().external), at its highest. */
  externalPeakMb: number;
  samples: number;
  phases: Record<string, { peakMb: number; endMb: number }>;
}

export function vmHwmMb(pid: number | "self" = "self"): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

export function startRssSampler(everyMs = 50): RssSampler {
  const round = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
  const first = process.memoryUsage.rss();
  let peak = first;
  let samples = 1;
  let current = "start";
  const phases: Record<string, { peak: number; end: number }> = { start: { peak: first, end: first } };
  let heapPeak = 0;
  let heapTotalPeak = 0;
  let externalPeak = 0;
  let lastHeapAt = 0;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (performance.now() - lastHeapAt >= 1000) {
      const m = process.memoryUsage();
      lastHeapAt = performance.now();
      heapPeak = Math.max(heapPeak, m.heapUsed);
      heapTotalPeak = Math.max(heapTotalPeak, m.heapTotal);
      externalPeak = Math.max(externalPeak, m.external);
    }
    samples++;
    peak = Math.max(peak, rss);
    const p = phases[current]!;
    p.peak = Math.max(p.peak, rss);
    p.end = rss;
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    phase(name) {
      sample();
      current = name;
      phases[name] = { peak: 0, end: 0 };
      sample();
    },
    stop() {
      sample();
      clearInterval(timer);
      const hwm = vmHwmMb();
      return {
        peakMb: round(peak),
        hwmMb: hwm === null ? null : Math.round(hwm * 10) / 10,
        startMb: round(first),
        heapUsedPeakMb: round(heapPeak),
        heapTotalPeakMb: round(heapTotalPeak),
        externalPeakMb: round(externalPeak),
        samples,
        phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, { peakMb: round(v.peak), endMb: round(v.end) }])),
      };
    },
  };
}

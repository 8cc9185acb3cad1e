// The campaign cycle's scheduled pushes, one scheduler job: result requests at each phase's end (./result-requests.ts).
import { planResultRequests, type ResultRequestDeps } from "./result-requests.js";

export type CyclePushDeps = ResultRequestDeps;

/** What was queued this tick, by kind. */
export async function planCyclePushes(deps: CyclePushDeps, now: Date): Promise<{ resultRequests: number }> {
  return { resultRequests: await planResultRequests(deps, now) };
}

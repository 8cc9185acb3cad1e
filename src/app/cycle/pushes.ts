// The campaign cycle's scheduled pushes, one scheduler job: result requests at each phase's end
// (./result-requests.ts), report requests and reminders, list reminders (./filing-pushes.ts).
import { planFilingPushes, type FilingPushDeps } from "./filing-pushes.js";
import { planResultRequests, type ResultRequestDeps } from "./result-requests.js";

export type CyclePushDeps = ResultRequestDeps & FilingPushDeps;

/** What was queued this tick, by kind. */
export async function planCyclePushes(deps: CyclePushDeps, now: Date) {
  return { resultRequests: await planResultRequests(deps, now), ...(await planFilingPushes(deps, now)) };
}

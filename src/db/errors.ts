// Prisma error helpers shared by the repositories. Both generated clients throw the same runtime error classes.

/** True for Prisma's "unique constraint failed" (P2002), e.g. two first-time writers racing on the same key. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Runs `work`, and once more if it lost a race on a unique key (the second run sees the winner's row). */
export async function retryOnUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return work();
  }
}

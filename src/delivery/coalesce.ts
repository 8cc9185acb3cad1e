// Lookups made at about the same moment, answered by one query: each `load(key)` waits for the end of the current
// turn of the event loop, then every key asked for in that turn goes to `loadMany` at once (several queries in flight
// are fine: this is for reads). Nothing is cached: a key asked for again later is read again, as fresh as one query
// per key would be.
export type Load<K, V> = (key: K) => Promise<V | undefined>;

export function coalescing<K, V>(loadMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>): Load<K, V> {
  let pending: { key: K; resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[] = [];
  const flush = () => {
    const group = pending;
    pending = [];
    loadMany([...new Set(group.map((g) => g.key))]).then(
      (found) => {
        for (const g of group) g.resolve(found.get(g.key));
      },
      (error: unknown) => {
        for (const g of group) g.reject(error);
      },
    );
  };
  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ key, resolve, reject });
    });
}

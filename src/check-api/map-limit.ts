/**
 * Runs `work` over `items` with at most `limit` in flight, results in input order. Hand-written because it is ten
 * lines and p-limit would be a dependency for exactly this; shared by the AWS and GCP collectors.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

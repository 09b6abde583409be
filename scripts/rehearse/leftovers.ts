/**
 * What the emulator holds, from moto's own inventory (`/moto-api/data.json`: every model of
 * every service it has loaded), so a teardown is proven against every resource type, not only
 * the ones the stack is known to create.
 */

/** Instance count per `service.Model`. */
export type Inventory = ReadonlyMap<string, number>;

export async function inventory(endpoint: string): Promise<Inventory> {
  const response = await fetch(`${endpoint}/moto-api/data.json`);
  if (!response.ok) throw new Error(`moto inventory: HTTP ${response.status}`);
  const data = (await response.json()) as Record<string, Record<string, unknown[]>>;
  const counts = new Map<string, number>();
  for (const [service, models] of Object.entries(data)) {
    for (const [model, instances] of Object.entries(models)) {
      if (instances.length > 0) counts.set(`${service}.${model}`, instances.length);
    }
  }
  return counts;
}

/**
 * Models that are the emulator's bookkeeping, not resources anyone created: IAM's account
 * summary (one per account, always there once IAM is loaded).
 */
const bookkeeping = new Set(["iam.AccountSummary"]);

/** The models with more instances now than before the configuration was deployed. */
export function leftovers(before: Inventory, after: Inventory): string[] {
  return [...after]
    .filter(([model, count]) => !bookkeeping.has(model) && count > (before.get(model) ?? 0))
    .map(([model, count]) => `${model} (${count - (before.get(model) ?? 0)} left)`);
}

/** Forgets everything (after a failed configuration, so the next starts from nothing). */
export async function resetEmulator(endpoint: string): Promise<void> {
  await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
}

/**
 * Adds an item to an oldest-first list, or replaces the item with its id where it stands (a
 * delivery update). A new item goes after every item of the same second. WHY: NOSTR times are
 * whole seconds, and the store breaks ties by arrival (rowid); ordering ties by id here instead
 * put a reply sent within the same second before the message it answers, and a reload then
 * showed another order.
 */
export function upsertInTimeOrder<T extends { id: string; createdAt: number }>(
  list: readonly T[],
  item: T,
): T[] {
  const at = list.findIndex((x) => x.id === item.id);
  if (at >= 0) return list.map((x, i) => (i === at ? item : x));
  let i = list.length;
  while (i > 0 && (list[i - 1] as T).createdAt > item.createdAt) i--;
  return [...list.slice(0, i), item, ...list.slice(i)];
}

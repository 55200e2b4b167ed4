// Long lists in text: the first few, then "and N more" (the finding's evidence keeps the whole list for JSON).

export const LIST_HEAD = 3;

export function shortList(items: readonly string[], head = LIST_HEAD): string {
  if (items.length <= head + 1) return items.join("; ");
  return `${items.slice(0, head).join("; ")} and ${items.length - head} more`;
}

// A query on an open session, with a deadline: its own timeout cut to what is left of the run's. pg's query
// timeout rejects the promise but leaves the query active (everything after it would queue behind it), so a
// timed-out session is torn down at once: nothing more can be learnt from it.
import type { Client, QueryConfig, QueryResult, QueryResultRow } from "pg";
import type { RunScope } from "../run/scope.js";

export class SessionTimeout extends Error {
  constructor(
    message: string,
    /** The run's deadline, not the step's own timeout, bounded the wait. */
    readonly cut: boolean,
  ) {
    super(message);
  }
}

export async function sessionQuery<R extends QueryResultRow>(
  client: Client,
  scope: RunScope,
  timeoutMs: number,
  text: string,
  values?: unknown[],
): Promise<QueryResult<R>> {
  const budget = scope.budget(timeoutMs);
  if (budget.ms <= 0) throw new SessionTimeout("the overall deadline ran out before the query", true);
  try {
    // pg honours a per-query query_timeout (client.js), which its type definitions do not list.
    const config: QueryConfig & { query_timeout: number } = {
      text,
      ...(values ? { values } : {}),
      query_timeout: Math.max(1, budget.ms),
    };
    return await client.query<R>(config);
  } catch (err) {
    if (err instanceof Error && /Query read timeout/.test(err.message)) {
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      throw new SessionTimeout(
        budget.cut
          ? "the overall deadline ran out during the query"
          : `the server did not answer the query within ${budget.ms} ms`,
        budget.cut,
      );
    }
    throw err;
  }
}

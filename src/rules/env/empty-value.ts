// libpq takes a PG* variable that is set to "" as the value "" (getenv() != NULL), not as unset.
import { defineRule } from "../rule.js";
import { originOf } from "../where.js";

export default defineRule({
  id: "env/empty-value",
  family: "env",
  codes: {
    "env.empty-value": {
      severity: "warning",
      title: "Variable set to an empty string",
      description:
        'An empty variable is still set: python-dotenv sets KEY= to "" (overriding the shell), and libpq takes an empty PG* variable as the value "" rather than falling back to its default.',
      hint: "Delete the line, or give the variable a value.",
    },
  },
  check({ env }, { report }) {
    for (const v of env?.emptyVariables ?? []) {
      const { where, location } = originOf(v);
      report(
        "env.empty-value",
        v.variable,
        `${v.variable} is set to an empty string (${where}); libpq uses "" as the value instead of its default.`,
        { hint: `Remove ${v.variable} or give it a value.`, ...(location ? { location } : {}) },
      );
    }
  },
});

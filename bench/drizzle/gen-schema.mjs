// Writes drizzle-kit's TypeScript schema for the Strata schema-engine benchmark:
// the same tables as crates/strata-bench/src/database.rs creates in PostgreSQL.
//
//   node gen-schema.mjs <tables> <out.ts> [changed]
//
// With `changed`, every table whose number is a multiple of 100 (1% of 1,000)
// gets one extra nullable text column `note`: the change both tools diff.

import { writeFileSync } from "node:fs";

const [tablesArg, out, variant] = process.argv.slice(2);
const tables = Number.parseInt(tablesArg ?? "", 10);
if (!Number.isInteger(tables) || tables < 1 || !out) {
  console.error("usage: node gen-schema.mjs <tables> <out.ts> [changed]");
  process.exit(1);
}
const changed = variant === "changed";

const name = (i) => `t_${String(i).padStart(4, "0")}`;
const ident = (i) => `t${String(i).padStart(4, "0")}`;

const lines = [
  `import { pgTable, pgEnum, serial, text, varchar, integer, timestamp, boolean, jsonb, numeric, index, type AnyPgColumn } from "drizzle-orm/pg-core";`,
  ``,
  `export const rowStatus = pgEnum("row_status", ["active", "inactive", "archived"]);`,
  ``,
];
for (let i = 0; i < tables; i++) {
  // Table 0 references itself so that every table has exactly one foreign key.
  const prev = ident(i === 0 ? 0 : i - 1);
  const note = changed && i % 100 === 0 ? `\n  note: text("note"),` : "";
  lines.push(`export const ${ident(i)} = pgTable("${name(i)}", {
  id: serial("id").primaryKey(),
  name: text("name"),
  email: varchar("email", { length: 255 }).unique(),
  prevId: integer("prev_id").references((): AnyPgColumn => ${prev}.id),
  createdAt: timestamp("created_at").defaultNow(),
  active: boolean("active"),
  data: jsonb("data"),
  amount: numeric("amount", { precision: 10, scale: 2 }),
  status: rowStatus("status"),${note}
}, (t) => [index("${name(i)}_prev_id_idx").on(t.prevId)]);
`);
}
writeFileSync(out, lines.join("\n"));

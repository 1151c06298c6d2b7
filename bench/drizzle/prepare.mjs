// Prepares the drizzle-kit side of the Strata schema-engine benchmark.
// <workdir> must be inside this folder, so that the schema finds drizzle-orm.
//
//   node prepare.mjs <tables> <workdir>   baseline: schema + first `generate`
//   node prepare.mjs restore <workdir>    puts the migrations folder back to the baseline
//
// After `prepare`, <workdir>/schema.ts holds the changed schema (1% of the
// tables get a column) and <workdir>/migrations the baseline migration, so the
// timed step is exactly one `drizzle-kit generate` (see GENERATE_ARGS below;
// crates/strata-bench runs and times it, restoring the folder before each run).

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const kit = join(here, "node_modules", "drizzle-kit", "bin.cjs");

/** The arguments of the timed command: `node <kit> generate ...`, run in <workdir>. */
export const GENERATE_ARGS = ["generate", "--dialect=postgresql", "--schema=schema.ts", "--out=migrations"];

function restore(work) {
  rmSync(join(work, "migrations"), { recursive: true, force: true });
  cpSync(join(work, "baseline"), join(work, "migrations"), { recursive: true });
}

function prepare(tables, work) {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const gen = (variant) =>
    execFileSync(process.execPath, [join(here, "gen-schema.mjs"), String(tables), join(work, "schema.ts"), ...variant]);
  gen([]);
  // drizzle-kit exits 0 even when the schema fails to load: check its output.
  execFileSync(process.execPath, [kit, ...GENERATE_ARGS], { cwd: work, stdio: ["ignore", "ignore", "inherit"] });
  const sql = readdirSync(join(work, "migrations")).filter((f) => f.endsWith(".sql"));
  if (sql.length !== 1) {
    console.error(`drizzle-kit generate did not write the baseline migration in ${work}/migrations`);
    process.exit(1);
  }
  cpSync(join(work, "migrations"), join(work, "baseline"), { recursive: true });
  gen(["changed"]);
  console.log(`baseline migration: ${sql[0]}`);
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === "restore" && arg) {
  restore(arg);
} else if (/^\d+$/.test(cmd ?? "") && arg) {
  prepare(Number(cmd), arg);
} else {
  console.error("usage: node prepare.mjs <tables> <workdir> | node prepare.mjs restore <workdir>");
  process.exit(1);
}

// Applies a drizzle-kit migrations folder with drizzle-orm's own migrator
// (node-postgres driver), as a drizzle project does before it adopts Strata.
//
//   node migrate.mjs <package folder> <migrations folder> <database url>
//
// <package folder> is kit-0.31 or kit-1.0 (after `npm ci` there): drizzle-orm
// and pg are loaded from its node_modules, so one script serves both.

import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pkg, folder, url] = process.argv.slice(2);
if (!pkg || !folder || !url) {
  console.error("usage: node migrate.mjs <package folder> <migrations folder> <database url>");
  process.exit(2);
}
const require = createRequire(join(resolve(pkg), "package.json"));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);

const { default: pg } = await load("pg");
const { drizzle } = await load("drizzle-orm/node-postgres");
const { migrate } = await load("drizzle-orm/node-postgres/migrator");

const pool = new pg.Pool({ connectionString: url, max: 1 });
try {
  await migrate(drizzle({ client: pool }), { migrationsFolder: resolve(folder) });
} finally {
  await pool.end();
}

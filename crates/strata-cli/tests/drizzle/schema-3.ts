// A change made on another branch than schema-2.ts: schema-1.ts plus a table.
import { pgTable, pgEnum, serial, text, integer, index, timestamp } from "drizzle-orm/pg-core";

export const role = pgEnum("role", ["admin", "member"]);

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  email: text("email").notNull().unique(),
  role: role("role").notNull().default("member"),
});

export const posts = pgTable(
  "posts",
  {
    id: serial("id").primaryKey(),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    createdAt: timestamp("created_at").notNull().defaultNow(),
  },
  (t) => [index("posts_author_idx").on(t.authorId)],
);

export const tags = pgTable("tags", {
  id: serial("id").primaryKey(),
  label: text("label").notNull().unique(),
});

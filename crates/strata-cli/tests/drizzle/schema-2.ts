// The second schema: schema-1.ts plus a users column, an enum value, a table
// and an index, so drizzle-kit writes a second migration.
import { pgTable, pgEnum, serial, text, integer, index, timestamp } from "drizzle-orm/pg-core";

export const role = pgEnum("role", ["admin", "member", "guest"]);

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  email: text("email").notNull().unique(),
  role: role("role").notNull().default("member"),
  bio: text("bio"),
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
  (t) => [index("posts_author_idx").on(t.authorId), index("posts_title_idx").on(t.title)],
);

export const comments = pgTable("comments", {
  id: serial("id").primaryKey(),
  postId: integer("post_id")
    .notNull()
    .references(() => posts.id, { onDelete: "cascade" }),
  body: text("body").notNull(),
});

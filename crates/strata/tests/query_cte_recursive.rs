//! Recursive CTEs (`WITH RECURSIVE`) on a real server: walking a tree
//! from its root with a depth limit, joining the walk to a table, and a
//! cycle that `UNION` (not `UNION ALL`) ends, and deleting a subtree.

use strata::query::prelude::*;
use strata::query::{Connection, Cte};
use strata::Table;
use strata_testkit::TestDatabase;

/// A tree: each category points at its parent.
#[derive(Table)]
#[strata(name = "categories")]
pub struct Category {
    #[strata(primary_key, serial)]
    pub id: i32,
    pub parent_id: Option<i32>,
    pub name: String,
}

strata::cte! {
    /// The categories under a root, with their depth below it.
    pub struct Subtree as "subtree" {
        ID: i32 = "id",
        NAME: String = "name",
        DEPTH: i32 = "depth",
    }
}

strata::cte! {
    /// The categories reachable from one (ids only, so UNION can dedupe).
    pub struct Reach as "reach" {
        ID: i32 = "id",
    }
}

async fn database() -> (TestDatabase, Connection) {
    let t = TestDatabase::create().await;
    let client = t.connect().await;
    client
        .batch_execute(
            "CREATE TABLE public.categories (\
             id serial PRIMARY KEY, \
             parent_id integer REFERENCES public.categories (id), \
             name text NOT NULL)",
        )
        .await
        .unwrap();
    (t, Connection::new(client))
}

/// Inserts `name` under `parent`; its id.
async fn add(db: &Connection, name: &str, parent: Option<i32>) -> i32 {
    let mut row = NewCategory::new(name);
    if let Some(parent) = parent {
        row = row.parent_id(parent);
    }
    Category::insert(row)
        .returning(Category::ID)
        .one(db)
        .await
        .unwrap()
}

/// root -> (a -> (a1 -> a1x, a2), b -> b1), and a second tree other -> c.
async fn seed_tree(db: &Connection) {
    let root = add(db, "root", None).await;
    let a = add(db, "a", Some(root)).await;
    let b = add(db, "b", Some(root)).await;
    let a1 = add(db, "a1", Some(a)).await;
    add(db, "a2", Some(a)).await;
    add(db, "b1", Some(b)).await;
    add(db, "a1x", Some(a1)).await;
    let other = add(db, "other", None).await;
    add(db, "c", Some(other)).await;
}

/// The categories under `root` (itself at depth 0), expanded while the
/// depth is below `max_depth`.
fn subtree(root: &str, max_depth: i32) -> Cte<Subtree> {
    Cte::recursive(
        Category::select()
            .columns((
                Category::ID,
                Category::NAME,
                sql::<i32>().text("0").finish(),
            ))
            .filter(Category::NAME.eq(root)),
        |this| {
            Category::select()
                .inner_join_cte(this)
                .on(Category::PARENT_ID.eq(Subtree::ID))
                .columns((Category::ID, Category::NAME, Subtree::DEPTH.add(1)))
                .filter(Subtree::DEPTH.lt(max_depth))
        },
    )
}

#[tokio::test]
async fn recursive_cte_walks_a_tree_to_a_depth() {
    let (_t, db) = database().await;
    seed_tree(&db).await;
    let rows: Vec<(String, i32)> = subtree("root", 2)
        .select()
        .columns((Subtree::NAME, Subtree::DEPTH))
        .order_by(Subtree::DEPTH)
        .order_by(Subtree::NAME)
        .all(&db)
        .await
        .unwrap();
    let expected = [
        ("root", 0),
        ("a", 1),
        ("b", 1),
        ("a1", 2),
        ("a2", 2),
        ("b1", 2),
    ];
    let expected: Vec<(String, i32)> = expected.iter().map(|(n, d)| (n.to_string(), *d)).collect();
    assert_eq!(rows, expected);

    // Unbounded (well, 10 deep): the whole tree, and nothing of the other one.
    let names: Vec<String> = subtree("root", 10)
        .select()
        .columns(Subtree::NAME)
        .order_by(Subtree::NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names, ["a", "a1", "a1x", "a2", "b", "b1", "root"]);
}

#[tokio::test]
async fn recursive_cte_text_and_parameter_order() {
    // $1 in the base, $2 and $3 in the step, $4 in the main query.
    let sql = subtree("root", 2)
        .select()
        .columns(Subtree::NAME)
        .filter(Subtree::NAME.ne("b"))
        .to_sql();
    assert_eq!(
        sql,
        "WITH RECURSIVE \"subtree\" (\"id\", \"name\", \"depth\") AS (\
         (SELECT \"categories\".\"id\", \"categories\".\"name\", 0 FROM \"public\".\"categories\" \
         WHERE (\"categories\".\"name\" = $1)) UNION ALL \
         (SELECT \"categories\".\"id\", \"categories\".\"name\", (\"subtree\".\"depth\" + $2) \
         FROM \"public\".\"categories\" INNER JOIN \"subtree\" \
         ON (\"categories\".\"parent_id\" = \"subtree\".\"id\") \
         WHERE (\"subtree\".\"depth\" < $3))) \
         SELECT \"subtree\".\"name\" FROM \"subtree\" WHERE (\"subtree\".\"name\" <> $4)"
    );
}

#[tokio::test]
async fn recursive_cte_joined_to_a_table() {
    let (_t, db) = database().await;
    seed_tree(&db).await;
    // Each category under `a` with its parent's name (`a`'s own parent is
    // outside the walk but still a category), read by a raw subquery.
    let parent_name = sql::<String>()
        .text("(SELECT p.name FROM public.categories p WHERE p.id = ")
        .expr(Category::PARENT_ID)
        .text(")")
        .finish();
    let rows: Vec<(String, i32, Option<String>)> = Category::select()
        .inner_join_cte(subtree("a", 10))
        .on(Subtree::ID.eq(Category::ID))
        .columns((Category::NAME, Subtree::DEPTH, parent_name))
        .order_by(Category::NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            ("a".to_string(), 0, Some("root".to_string())),
            ("a1".to_string(), 1, Some("a".to_string())),
            ("a1x".to_string(), 2, Some("a1".to_string())),
            ("a2".to_string(), 1, Some("a".to_string()))
        ]
    );
}

#[tokio::test]
async fn recursive_distinct_ends_on_a_cycle() {
    let (_t, db) = database().await;
    let x = add(&db, "x", None).await;
    let y = add(&db, "y", Some(x)).await;
    add(&db, "z", Some(y)).await;
    // x -> y -> z, and y becomes x's parent: x and y form a cycle.
    Category::update()
        .set(Category::PARENT_ID, Some(y))
        .filter(Category::ID.eq(x))
        .execute(&db)
        .await
        .unwrap();
    let reach = Cte::<Reach>::recursive_distinct(
        Category::select()
            .columns(Category::ID)
            .filter(Category::NAME.eq("x")),
        |this| {
            Category::select()
                .inner_join_cte(this)
                .on(Category::PARENT_ID.eq(Reach::ID))
                .columns(Category::ID)
        },
    );
    let names: Vec<String> = Category::select()
        .columns(Category::NAME)
        .filter(Category::ID.in_select(reach.select()))
        .order_by(Category::NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names, ["x", "y", "z"]);
}

#[tokio::test]
async fn delete_a_subtree_through_a_recursive_cte() {
    let (_t, db) = database().await;
    seed_tree(&db).await;
    // WITH RECURSIVE subtree ... DELETE FROM categories USING subtree: `a`
    // and everything under it, in one statement (the foreign keys among
    // them are checked once the statement is done).
    let mut deleted: Vec<(String, i32)> = Category::delete()
        .using_cte(subtree("a", 10))
        .filter(Category::ID.eq(Subtree::ID))
        .returning((Category::NAME, Subtree::DEPTH))
        .all(&db)
        .await
        .unwrap();
    deleted.sort();
    assert_eq!(
        deleted,
        [
            ("a".to_string(), 0),
            ("a1".to_string(), 1),
            ("a1x".to_string(), 2),
            ("a2".to_string(), 1)
        ]
    );
    let left: Vec<String> = Category::select()
        .columns(Category::NAME)
        .order_by(Category::NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(left, ["b", "b1", "c", "other", "root"]);
}

//! Every attribute of the derives, applied to a real server: the declared
//! model must come back from introspection unchanged (an empty diff), and
//! rename hints must turn into renames.

// The structs are declarations: their fields are never read here.
#![allow(dead_code)]

use strata::schema::{
    diff, Deferrable, Filter, FkAction, QualifiedName, RenameHints, RenameKind, Schema,
};
use strata::{DeclaredSchema, PgEnum, SchemaBuilder, Table};
use strata_postgres::introspect::introspect;
use strata_postgres::server_version::{unmet_requirements, ServerVersion};

/// How it feels.
#[derive(PgEnum, Debug, Clone, Copy)]
#[strata(schema = "app", name = "mood", renamed_from = "feeling")]
enum Mood {
    #[strata(renamed_from = "sad")]
    Low,
    High,
}

#[derive(Table)]
#[strata(
    schema = "app",
    name = "parents",
    primary_key(a, b, name = "parents_key")
)]
struct Parent {
    a: i32,
    b: String,
    #[strata(unique)]
    c: i32,
}

/// Everything a table can say.
#[derive(Table)]
#[strata(schema = "app", name = "things")]
#[strata(foreign_key(
    columns(pa, pb),
    references(Parent::A, Parent::B),
    on_delete = "cascade",
    on_update = "set null",
    deferrable = "initially deferred",
    match_full
))]
#[strata(unique(code, kind, nulls_not_distinct, name = "things_code_kind_key"))]
#[strata(index(desc(created), include(code), name = "things_created_idx"))]
#[strata(index(tags, method = "gin"))]
#[strata(index(
    kind,
    unique,
    predicate = "code IS NOT NULL",
    name = "things_kind_partial"
))]
#[strata(check(name = "things_range", expression = "low <= high"))]
#[strata(row_level_security(forced))]
#[strata(policy(
    name = "things_read",
    command = "select",
    using = "kind = 'a'::text",
    restrictive
))]
#[strata(policy(name = "things_write", command = "insert", with_check = "low >= 0"))]
struct Thing {
    #[strata(primary_key, identity(always))]
    id: i64,
    #[strata(identity)]
    counter: i32,
    #[strata(serial)]
    small: i16,
    /// A code, unique with its kind.
    code: Option<String>,
    #[strata(default = "a")]
    kind: String,
    #[strata(default = -1)]
    low: i32,
    #[strata(default = 10)]
    high: i64,
    #[strata(default = 1.5, sql_type = "numeric(10, 2)")]
    price: f64,
    #[strata(default = 0.25)]
    ratio: f64,
    #[strata(default = Mood::High)]
    mood: Mood,
    moods: Vec<Mood>,
    tags: Vec<String>,
    blob: Option<Vec<u8>>,
    #[strata(generated = "low + 1")]
    next: Option<i32>,
    #[strata(sql_type = "timestamptz", default_sql = "CURRENT_TIMESTAMP")]
    created: Option<String>,
    #[strata(collation = "C")]
    sorted: Option<String>,
    #[strata(
        name = "e_mail",
        unique = "things_email_uniq",
        sql_type = "varchar(320)"
    )]
    #[strata(check = "length((e_mail)::text) > 3")]
    email: String,
    pa: Option<i32>,
    pb: Option<String>,
    #[strata(references = Thing::ID, on_delete = "set null", index)]
    parent_id: Option<i64>,
    #[strata(references = Parent::C, deferrable = "initially immediate")]
    other_a: Option<i32>,
    flag: bool,
    real_number: Option<f32>,
    #[strata(serial)]
    big: i64,
    #[strata(sql_type = "timestamp(3)")]
    stamp: Option<String>,
    #[strata(sql_type = "char(2)", default = "xx")]
    country: Option<String>,
    #[strata(sql_type = "int8[]", default_sql = "'{}'::bigint[]")]
    ids: Vec<i64>,
    #[strata(sql_type = "TIMESTAMPTZ(0)")]
    at_second: Option<String>,
}

fn declared() -> DeclaredSchema {
    SchemaBuilder::new()
        .namespace("app", Some("the application"))
        .enum_type::<Mood>()
        .table::<Parent>()
        .table::<Thing>()
        .build()
        .unwrap()
}

async fn apply(declared: &DeclaredSchema, setup: &str) -> (Schema, Vec<String>) {
    let db = strata_testkit::TestDatabase::create().await;
    let client = db.connect().await;
    client.batch_execute(setup).await.unwrap();
    let before = introspect(&client, &Filter::default()).await.unwrap();
    let hints = declared.renames_from(&before);
    let plan = strata_postgres::render::plan(&before, &declared.schema, &hints).unwrap();
    let sql = plan.up.to_sql();
    if let Err(e) = client.batch_execute(&sql).await {
        panic!("applying failed: {e:?}\n{sql}");
    }
    let back = introspect(&client, &Filter::default()).await.unwrap();
    let changes = diff(&back, &declared.schema, &RenameHints::default()).unwrap();
    assert!(
        changes.is_empty(),
        "{changes:#?}\n--- applied:\n{sql}\n--- introspected:\n{back:#?}"
    );
    assert!(back.same_as(&declared.schema));
    let statements = plan.up.statements.iter().map(|s| s.sql.clone()).collect();
    (back, statements)
}

#[tokio::test]
async fn every_attribute_round_trips() {
    let mut declared = declared();
    let version = strata_testkit::server_version().await;
    if version < ServerVersion::major_number(15) {
        // The one attribute older servers lack is named, and refused before
        // anything runs; the rest must round-trip all the same.
        let plan = diff(
            &Schema::default(),
            &declared.schema,
            &RenameHints::default(),
        )
        .unwrap();
        let unmet = unmet_requirements(plan.iter().map(|c| &c.change), version);
        assert_eq!(
            unmet.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["unique things_code_kind_key on app.things uses NULLS NOT DISTINCT, which needs PostgreSQL 15 or newer"]
        );
        for table in &mut declared.schema.tables {
            for unique in &mut table.uniques {
                unique.nulls_not_distinct = false;
            }
        }
    }
    let (back, _) = apply(&declared, "").await;
    let t = back.table(&QualifiedName::new("app", "things")).unwrap();
    assert_eq!(t.comment.as_deref(), Some("Everything a table can say."));
    assert_eq!(
        t.column("code").unwrap().comment.as_deref(),
        Some("A code, unique with its kind.")
    );
    assert!(t.column("id").unwrap().identity.as_ref().unwrap().always);
    assert!(
        !t.column("counter")
            .unwrap()
            .identity
            .as_ref()
            .unwrap()
            .always
    );
    assert_eq!(t.column("price").unwrap().data_type, "numeric(10,2)");
    assert_eq!(
        t.column("e_mail").unwrap().data_type,
        "character varying(320)"
    );
    assert_eq!(t.column("moods").unwrap().data_type, "app.mood[]");
    assert_eq!(t.column("small").unwrap().data_type, "smallint");
    assert_eq!(
        t.column("stamp").unwrap().data_type,
        "timestamp(3) without time zone"
    );
    assert_eq!(t.column("country").unwrap().data_type, "character(2)");
    assert_eq!(t.column("ids").unwrap().data_type, "bigint[]");
    assert_eq!(
        t.column("at_second").unwrap().data_type,
        "timestamp(0) with time zone"
    );
    let big = back
        .sequences
        .iter()
        .find(|s| s.name.name == "things_big_seq")
        .unwrap();
    assert_eq!(
        (big.data_type.as_str(), big.options.max_value),
        ("bigint", i64::MAX)
    );
    let fk = t
        .foreign_keys
        .iter()
        .find(|f| f.columns == ["pa", "pb"])
        .unwrap();
    assert_eq!(fk.name, "things_pa_pb_fkey");
    assert_eq!(fk.on_delete, FkAction::Cascade);
    assert_eq!(fk.deferrable, Deferrable::InitiallyDeferred);
    assert!(fk.match_full);
    assert!(t.rls_enabled && t.rls_forced);
    assert_eq!(t.policies.len(), 2);
    let ns = back.namespaces.iter().find(|n| n.name == "app").unwrap();
    assert_eq!(ns.comment.as_deref(), Some("the application"));
}

/// Old names in the database, new names with `renamed_from` in the code:
/// the plan renames (no drop and add), and the result matches the code.
#[tokio::test]
async fn renamed_from_renames() {
    #[derive(PgEnum)]
    #[strata(name = "temper", renamed_from = "feeling")]
    enum Temper {
        #[strata(renamed_from = "sad")]
        Low,
        High,
    }

    #[derive(Table)]
    #[strata(
        name = "persons",
        renamed_from = "people",
        primary_key(id, name = "people_pkey")
    )]
    struct Person {
        id: i32,
        #[strata(renamed_from = "full_name")]
        name: String,
        temper: Temper,
    }

    let declared = SchemaBuilder::new()
        .enum_type::<Temper>()
        .table::<Person>()
        .build()
        .unwrap();
    let kinds: Vec<RenameKind> = declared.renames.hints.iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        [
            RenameKind::Enum,
            RenameKind::EnumValue,
            RenameKind::Table,
            RenameKind::Column
        ]
    );
    let (_, statements) = apply(
        &declared,
        "CREATE TYPE feeling AS ENUM ('sad', 'high');
         CREATE TABLE people (id int CONSTRAINT people_pkey PRIMARY KEY, full_name text NOT NULL, temper feeling NOT NULL);
         INSERT INTO people VALUES (1, 'Ada', 'sad');",
    )
    .await;
    let all = statements.join("\n");
    assert!(all.contains("RENAME TO"), "{all}");
    assert!(!all.contains("DROP"), "{all}");

    // Once applied, the hints no longer apply: diffing again is empty.
    let mut after = declared.schema.clone();
    after.normalize();
    assert!(declared.renames_from(&after).hints.is_empty());
}

#[test]
fn typed_columns_know_their_table() {
    assert_eq!(Thing::EMAIL.name(), "e_mail");
    assert_eq!(Thing::EMAIL.table_name(), "things");
    assert_eq!(Thing::EMAIL.table_schema(), "app");
    assert_eq!(<Thing as Table>::COLUMN_NAMES.len(), 28);
    assert_eq!(Mood::High.label(), "high");
    assert_eq!(<Mood as PgEnum>::LABELS, ["low", "high"]);
}

#[test]
fn builder_rejects_a_foreign_key_to_an_undeclared_table() {
    let err = SchemaBuilder::new().table::<Thing>().build().unwrap_err();
    assert!(err.to_string().contains("app.parents"), "{err}");
    let err = SchemaBuilder::new()
        .table::<Parent>()
        .table::<Parent>()
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("declared twice"), "{err}");
}

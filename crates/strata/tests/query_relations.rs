//! Relational queries: declared relations, nested loads with columns,
//! filters, order and limit per level, compiled to one statement and run
//! on a real server.

mod query_support;

use futures_util::TryStreamExt;
use query_support::*;
use strata::query::prelude::*;
use strata::query::{Executor, Rel, ToMany, ToOne};
use strata_example_school::*;

// The relations of seed 004, declared once.
fn user_roles() -> Rel<User, UserRole, UserRole, ToMany> {
    has_many(User::ID, UserRole::USER_ID)
}
fn role() -> Rel<UserRole, Role, Role, ToOne> {
    belongs_to(UserRole::ROLE_ID, Role::ID)
}
fn roles() -> Rel<User, Role, Role, ToMany> {
    many_to_many(User::ID, UserRole::USER_ID, UserRole::ROLE_ID, Role::ID)
}
fn school() -> Rel<Student, School, School, ToOne> {
    belongs_to(Student::SCHOOL_ID, School::ID)
}
fn interventions() -> Rel<Student, Intervention, Intervention, ToMany> {
    has_many(Student::ID, Intervention::STUDENT_ID)
}
fn creator() -> Rel<Intervention, User, User, ToOne> {
    belongs_to(Intervention::CREATED_BY, User::ID)
}
fn sessions() -> Rel<Intervention, InterventionSession, InterventionSession, ToMany> {
    has_many(Intervention::ID, InterventionSession::INTERVENTION_ID)
}

#[tokio::test]
async fn user_with_roles_through_user_roles() {
    let (_t, db) = query_support::school().await;
    let s = seed(&db).await;
    // Seed 004: findFirst users where cognitoSub, with userRoles with role.
    let (user, links) = User::load()
        .filter(User::COGNITO_SUB.eq("sub-alice"))
        .with(user_roles().with(role()).order_by(UserRole::ROLE_ID))
        .one(&db)
        .await
        .unwrap();
    assert_eq!(user.id, s.alice.id);
    assert_eq!(links.len(), 2);
    let (link, role) = &links[0];
    assert_eq!(link.user_id, s.alice.id);
    assert_eq!(role.as_ref().unwrap().name, "admin");
    assert!(role.as_ref().unwrap().is_system);
    assert_eq!(links[1].1.as_ref().unwrap().name, "teacher");

    // Many-to-many directly, every user, ordered, one role each at most.
    let users: Vec<(User, Many<Role>)> = User::load()
        .order_by(User::EMAIL)
        .with(roles().order_by(Role::NAME.desc()).limit(1))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].0.id, s.alice.id);
    assert_eq!(
        users[0]
            .1
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        ["teacher"]
    );
    assert_eq!(users[1].1[0].name, "teacher");
}

#[tokio::test]
async fn student_with_everything_in_one_statement() {
    let (_t, db) = query_support::school().await;
    let s = seed(&db).await;
    let student = s.students[0].id;
    let mut intervention_ids = Vec::new();
    for (kind, start) in [
        (InterventionType::Academic, date(2024, 1, 10)),
        (InterventionType::Behavioral, date(2024, 2, 10)),
    ] {
        let id = Intervention::insert(
            NewIntervention::new(student, kind, start, s.bob.id).title("plan"),
        )
        .returning(Intervention::ID)
        .one(&db)
        .await
        .unwrap();
        intervention_ids.push(id);
    }
    for (day, notes) in [(1, "first"), (15, "third"), (8, "second")] {
        InterventionSession::insert(
            NewInterventionSession::new(intervention_ids[0], date(2024, 3, day), s.alice.id)
                .progress_notes(notes),
        )
        .execute(&db)
        .await
        .unwrap();
    }

    // Seed 004's deep nesting: school, interventions with the creator's
    // name and the sessions newest first.
    let q = Student::load()
        .filter(Student::ID.eq(student))
        .with(school())
        .with(
            interventions()
                .order_by(Intervention::START_DATE)
                .with(creator().columns((User::ID, User::FIRST_NAME, User::LAST_NAME)))
                .with(sessions().order_by(InterventionSession::SESSION_DATE.desc())),
        );
    let sql = Student::load()
        .filter(Student::ID.eq(student))
        .with(school())
        .with(
            interventions()
                .with(creator().columns((User::ID, User::FIRST_NAME)))
                .with(sessions()),
        )
        .to_sql();
    // One statement: a CTE per level, every level's rows in one result.
    assert!(sql.starts_with("WITH \"l0\" AS ("), "{sql}");
    assert_eq!(sql.matches(" UNION ALL SELECT ").count(), 4, "{sql}");
    // Keys already among a level's columns are not sent twice: the
    // school's key is the student's `school_id` column (c6).
    assert!(
        sql.contains("IN (SELECT unnest(ARRAY(SELECT \"c6\" FROM \"l0\")))"),
        "{sql}"
    );
    assert!(sql.contains(", \"l4\" AS NOT MATERIALIZED ("), "{sql}");
    let before = db.statement_cache().len();
    let (st, sch, ivs) = q.one(&db).await.unwrap();
    assert_eq!(db.statement_cache().len(), before + 1, "one statement");
    assert_eq!(st.sis_id, "S001");
    assert_eq!(sch.as_ref().unwrap().name, "Lincoln");
    assert_eq!(ivs.len(), 2);
    let (first, who, sessions) = &ivs[0];
    assert_eq!(first.r#type, InterventionType::Academic);
    assert_eq!(first.status, InterventionStatus::Planned);
    assert_eq!(first.start_date, date(2024, 1, 10));
    assert_eq!(
        who.as_ref().unwrap(),
        &(s.bob.id, Some("Bob".to_string()), None)
    );
    assert_eq!(
        sessions
            .iter()
            .map(|x| x.progress_notes.as_deref().unwrap())
            .collect::<Vec<_>>(),
        ["third", "second", "first"]
    );
    assert_eq!(sessions[0].session_date, date(2024, 3, 15));
    assert!(ivs[1].2.is_empty(), "no sessions: an empty list");
    assert_eq!(ivs[1].0.r#type, InterventionType::Behavioral);

    // A student without a school or interventions.
    let (_, sch, ivs) = Student::load()
        .filter(Student::SIS_ID.eq("S003"))
        .with(school())
        .with(interventions())
        .one(&db)
        .await
        .unwrap();
    assert!(sch.is_none());
    assert!(ivs.is_empty());
}

/// A user's id and email.
type UserKey = (i32, String);

#[tokio::test]
async fn per_level_filters_columns_and_root_limit() {
    let (_t, db) = query_support::school().await;
    let s = seed(&db).await;
    let rows: Vec<(UserKey, Many<(String,)>)> = User::load()
        .columns((User::ID, User::EMAIL))
        .order_by(User::ID.desc())
        .limit(1)
        .with(
            roles()
                .columns((Role::NAME,))
                .filter(Role::IS_SYSTEM.eq(false)),
        )
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|(a, b, c)| ((a, b), c))
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0 .0, s.bob.id);
    assert_eq!(rows[0].1 .0, [("teacher".to_string(),)]);
    let (_, _, alice_roles): (i32, String, Many<(String,)>) = User::load()
        .columns((User::ID, User::EMAIL))
        .filter(User::ID.eq(s.alice.id))
        .with(
            roles()
                .columns((Role::NAME,))
                .filter(Role::IS_SYSTEM.eq(false)),
        )
        .one(&db)
        .await
        .unwrap();
    assert_eq!(alice_roles.0, [("teacher".to_string(),)]);
}

#[tokio::test]
async fn per_parent_order_and_limit_across_many_parents() {
    let (_t, db) = query_support::school().await;
    let s = seed(&db).await;
    // Three students, each with interventions starting on different days.
    for (i, st) in s.students.iter().enumerate() {
        for day in 1..=(i as u32 + 2) {
            Intervention::insert(
                NewIntervention::new(
                    st.id,
                    InterventionType::Academic,
                    date(2024, 1, day),
                    s.bob.id,
                )
                .title(format!("{}-{day}", st.sis_id)),
            )
            .execute(&db)
            .await
            .unwrap();
        }
    }
    let rows: Vec<(Student, Many<(Option<String>,)>)> = Student::load()
        .order_by(Student::SIS_ID.desc())
        .with(
            interventions()
                .columns((Intervention::TITLE,))
                .order_by(Intervention::START_DATE.desc())
                .limit(2),
        )
        .all(&db)
        .await
        .unwrap();
    let got: Vec<(String, Vec<String>)> = rows
        .into_iter()
        .map(|(st, titles)| {
            (
                st.sis_id,
                titles.0.into_iter().filter_map(|t| t.0).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "S003".to_string(),
                vec!["S003-4".to_string(), "S003-3".to_string()]
            ),
            (
                "S002".to_string(),
                vec!["S002-3".to_string(), "S002-2".to_string()]
            ),
            (
                "S001".to_string(),
                vec!["S001-2".to_string(), "S001-1".to_string()]
            ),
        ]
    );
    // A limit without an order: at most that many, from the parent's rows.
    let rows: Vec<(Student, Many<Intervention>)> = Student::load()
        .with(interventions().limit(1))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    for (st, ivs) in &rows {
        assert_eq!(ivs.len(), 1);
        assert_eq!(ivs[0].student_id, st.id);
    }
}

/// A table that references itself: categories in a tree.
#[derive(strata::Table, Debug, PartialEq)]
#[strata(name = "categories")]
struct Category {
    #[strata(primary_key, serial)]
    id: i32,
    name: String,
    #[strata(references = Category::ID)]
    parent_id: Option<i32>,
}

/// A category, its parent's name, its children with theirs.
type CategoryTree = (Category, One<(String,)>, Many<(Category, Many<Category>)>);

#[tokio::test]
async fn a_table_related_to_itself_loads_as_a_tree() {
    let (_t, db) = query_support::school().await;
    let declared = strata::SchemaBuilder::new()
        .table::<Category>()
        .build()
        .unwrap();
    strata_testkit::create_schema(db.client(), &declared.schema).await;
    db.client()
        .batch_execute(
            "INSERT INTO categories (id, name, parent_id) VALUES \
             (1, 'root', NULL), (2, 'a', 1), (3, 'b', 1), (4, 'a1', 2), (5, 'b1', 3), (6, 'b2', 3)",
        )
        .await
        .unwrap();
    let children = || has_many(Category::ID, Category::PARENT_ID).order_by(Category::NAME);
    let parent = belongs_to(Category::PARENT_ID, Category::ID).columns((Category::NAME,));
    let tree: Vec<CategoryTree> = Category::load()
        .filter(Category::ID.in_list([1, 3]))
        .order_by(Category::ID)
        .with(parent)
        .with(children().with(children()))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(tree.len(), 2);
    let (root, root_parent, kids) = &tree[0];
    assert_eq!(root.name, "root");
    assert!(root_parent.is_none());
    let names: Vec<(&str, Vec<&str>)> = kids
        .iter()
        .map(|(k, g)| (k.name.as_str(), g.iter().map(|c| c.name.as_str()).collect()))
        .collect();
    assert_eq!(names, [("a", vec!["a1"]), ("b", vec!["b1", "b2"])]);
    let (b, b_parent, b_kids) = &tree[1];
    assert_eq!(b.name, "b");
    assert_eq!(b_parent.as_ref().unwrap().0, "root");
    assert_eq!(b_kids.len(), 2);
    assert!(b_kids.iter().all(|(_, g)| g.is_empty()));

    // Four generations from the root: the children (whose children have
    // children) are stored once; the grandchildren are read where used.
    let four = Category::load()
        .filter(Category::ID.eq(1))
        .with(children().with(children().with(children())));
    let sql = four.to_sql();
    assert!(sql.contains("\"l1\" AS (SELECT row_number()"), "{sql}");
    assert!(sql.contains("\"l2\" AS NOT MATERIALIZED ("), "{sql}");
    let generations: Vec<FourGenerations> = Category::load()
        .filter(Category::ID.eq(1))
        .with(children().with(children().with(children())))
        .all(&db)
        .await
        .unwrap();
    let (_, kids) = &generations[0];
    let grandchildren: Vec<&str> = kids
        .iter()
        .flat_map(|(_, g)| g.iter().map(|(c, _)| c.name.as_str()))
        .collect();
    assert_eq!(grandchildren, ["a1", "b1", "b2"]);
    assert!(kids
        .iter()
        .all(|(_, g)| g.iter().all(|(_, ggc)| ggc.is_empty())));
}

/// A category, its children, theirs, and theirs.
type FourGenerations = (Category, Many<(Category, Many<(Category, Many<Category>)>)>);

/// A user with its user_roles, each with its role.
type UserWithRoles = (User, Many<(UserRole, One<Role>)>);

#[tokio::test]
async fn a_load_streams_the_same_trees_as_all() {
    let (_t, db) = query_support::school().await;
    seed(&db).await;
    let load = || {
        User::load()
            .order_by(User::EMAIL)
            .with(user_roles().with(role()).order_by(UserRole::ROLE_ID))
    };
    let all = load().all(&db).await.unwrap();
    let streamed: Vec<_> = load()
        .stream(&db)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    // The same users, each with the same role names in the same order.
    let names = |trees: &[UserWithRoles]| -> Vec<(i32, Vec<String>)> {
        trees
            .iter()
            .map(|(u, links)| {
                let roles = links.iter().map(|(_, r)| r.as_ref().unwrap().name.clone());
                (u.id, roles.collect())
            })
            .collect()
    };
    assert_eq!(names(&streamed), names(&all));
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|(_, links)| !links.is_empty()));
}

/// Computed columns at nested levels: their NULLs in the other levels'
/// rows take the type of the level's own column, and a parameter inside
/// one is numbered with the rest of the statement.
#[tokio::test]
async fn computed_columns_at_nested_levels() {
    let (_t, db) = query_support::school().await;
    let s = seed(&db).await;
    for (day, title) in [(3, Some("reading")), (5, None), (9, Some("maths"))] {
        let mut iv = NewIntervention::new(
            s.students[0].id,
            InterventionType::Academic,
            date(2024, 2, day),
            s.bob.id,
        );
        if let Some(t) = title {
            iv = iv.title(t);
        }
        Intervention::insert(iv).execute(&db).await.unwrap();
    }
    let load = || {
        Student::load()
            .columns((Student::ID, Student::SIS_ID))
            .filter(Student::ID.eq(s.students[0].id))
            .with(
                interventions()
                    .columns((
                        coalesce(Intervention::TITLE, "untitled"),
                        Intervention::START_DATE,
                    ))
                    .order_by(Intervention::START_DATE)
                    .with(creator().columns((coalesce(User::FIRST_NAME, "?"),))),
            )
            .with(
                interventions()
                    .columns((coalesce(Intervention::TITLE, "none"),))
                    .order_by(Intervention::START_DATE.desc())
                    .limit(1),
            )
    };
    let sql = load().to_sql();
    assert!(
        sql.contains("(SELECT \"c0\" FROM \"l1\" WHERE false)"),
        "{sql}"
    );
    assert!(
        sql.contains("\"l3\" AS (SELECT * FROM (SELECT row_number()"),
        "limited: stored, {sql}"
    );
    type Row = (
        i32,
        String,
        Many<(String, chrono::NaiveDate, One<(String,)>)>,
        Many<(String,)>,
    );
    let (id, sis, all, last): Row = load().one(&db).await.unwrap();
    assert_eq!((id, sis.as_str()), (s.students[0].id, "S001"));
    let titles: Vec<(&str, &str)> = all
        .iter()
        .map(|(t, _, creator)| (t.as_str(), creator.0.as_ref().unwrap().0.as_str()))
        .collect();
    assert_eq!(
        titles,
        [("reading", "Bob"), ("untitled", "Bob"), ("maths", "Bob")]
    );
    assert_eq!(last.0, [("maths".to_string(),)]);
}

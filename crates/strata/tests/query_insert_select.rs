//! `INSERT ... SELECT` and `WITH ... INSERT` on a real server: the exact
//! SQL text, the parameters in text order over the whole statement, and
//! the rows the server wrote, read back.

mod query_support;

use query_support::*;
use strata::query::prelude::*;
use strata::query::{Cte, Select, Statement};
use strata::Column;
use strata_example_school::*;

/// The parameters as their values print, in `$n` order.
fn params_of(q: impl Statement) -> (String, String) {
    let (sql, params) = q.build();
    (sql, format!("{params:?}"))
}

async fn archive(db: &Connection) -> Vec<ArchivedStudent> {
    ArchivedStudent::select()
        .order_by(ArchivedStudent::ID)
        .all(db)
        .await
        .unwrap()
}

fn archived(s: &Student, sis_id: Option<&str>, note: Option<&str>) -> ArchivedStudent {
    ArchivedStudent {
        id: s.id,
        first_name: s.first_name.clone(),
        sis_id: sis_id.map(str::to_string),
        note: note.map(str::to_string),
    }
}

fn school_students(school: i32) -> Select<Student, (i32, String, Option<String>)> {
    Student::select()
        .columns((Student::ID, Student::FIRST_NAME, Student::SIS_ID.nullable()))
        .filter(Student::SCHOOL_ID.eq(school))
        .order_by(Student::ID)
        .limit(10)
}

/// `(id, first_name, sis_id)` of the archive.
type ArchiveColumns = (
    Column<ArchivedStudent, i32>,
    Column<ArchivedStudent, String>,
    Column<ArchivedStudent, Option<String>>,
);

const ARCHIVE_COLUMNS: ArchiveColumns = (
    ArchivedStudent::ID,
    ArchivedStudent::FIRST_NAME,
    ArchivedStudent::SIS_ID,
);

#[tokio::test]
async fn insert_select_writes_the_selected_rows() {
    let (_t, db) = school_with_archive().await;
    let s = seed(&db).await;
    let q = || {
        ArchivedStudent::insert_select(ARCHIVE_COLUMNS, school_students(s.school.id))
            .returning((ArchivedStudent::SIS_ID, ArchivedStudent::FIRST_NAME))
    };
    let (sql, params) = params_of(q());
    assert_eq!(
        sql,
        "INSERT INTO \"public\".\"archived_students\" (\"id\", \"first_name\", \"sis_id\") \
         SELECT \"students\".\"id\", \"students\".\"first_name\", \"students\".\"sis_id\" \
         FROM \"public\".\"students\" WHERE (\"students\".\"school_id\" = $1) \
         ORDER BY \"students\".\"id\" LIMIT $2 \
         RETURNING \"archived_students\".\"sis_id\", \"archived_students\".\"first_name\""
    );
    assert_eq!(params, format!("[{}, 10]", s.school.id));

    let returned: Vec<(Option<String>, String)> = q().all(&db).await.unwrap();
    assert_eq!(
        returned,
        [
            (Some("S001".into()), "Ann".into()),
            (Some("S002".into()), "Ben".into())
        ]
    );
    assert_eq!(
        archive(&db).await,
        [
            archived(&s.students[0], Some("S001"), None),
            archived(&s.students[1], Some("S002"), None)
        ]
    );

    // One column: the select returns the column's type itself.
    let one = ArchivedStudent::delete()
        .all_rows()
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(one, 2);
    let n = ArchivedStudent::insert_select(
        (ArchivedStudent::ID, ArchivedStudent::FIRST_NAME),
        Student::select()
            .columns((Student::ID, Student::LAST_NAME))
            .filter(Student::SIS_ID.eq("S003")),
    )
    .execute(&db)
    .await
    .unwrap();
    assert_eq!(n, 1);
    let names: Vec<String> = ArchivedStudent::select()
        .columns(ArchivedStudent::FIRST_NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names, ["Ng"]);
}

#[tokio::test]
async fn insert_select_on_conflict_do_update_uses_the_excluded_row() {
    let (_t, db) = school_with_archive().await;
    let s = seed(&db).await;
    let ann = &s.students[0];
    ArchivedStudent::insert(
        NewArchivedStudent::new(ann.id, "Old name")
            .sis_id("OLD")
            .note("kept"),
    )
    .execute(&db)
    .await
    .unwrap();
    // $1 the select's school, $2 its limit, $3 the SET value, $4 the RETURNING comparison.
    let q = || {
        ArchivedStudent::insert_select(ARCHIVE_COLUMNS, school_students(s.school.id))
            .on_conflict(ArchivedStudent::ID)
            .do_update(|a| {
                a.set(
                    ArchivedStudent::FIRST_NAME,
                    excluded(ArchivedStudent::FIRST_NAME),
                )
                .set(ArchivedStudent::SIS_ID, excluded(ArchivedStudent::SIS_ID))
                .set(ArchivedStudent::NOTE, "again")
            })
            .returning((ArchivedStudent::ID, ArchivedStudent::NOTE.eq("again")))
    };
    let (sql, params) = params_of(q());
    assert_eq!(
        sql,
        "INSERT INTO \"public\".\"archived_students\" (\"id\", \"first_name\", \"sis_id\") \
         SELECT \"students\".\"id\", \"students\".\"first_name\", \"students\".\"sis_id\" \
         FROM \"public\".\"students\" WHERE (\"students\".\"school_id\" = $1) \
         ORDER BY \"students\".\"id\" LIMIT $2 \
         ON CONFLICT (\"id\") DO UPDATE SET \"first_name\" = EXCLUDED.\"first_name\", \
         \"sis_id\" = EXCLUDED.\"sis_id\", \"note\" = $3 \
         RETURNING \"archived_students\".\"id\", (\"archived_students\".\"note\" = $4)"
    );
    assert_eq!(
        params,
        format!("[{}, 10, \"again\", \"again\"]", s.school.id)
    );

    let mut returned: Vec<(i32, Option<bool>)> = q().all(&db).await.unwrap();
    returned.sort();
    // Ann was there: updated (note set); Ben is new (no note: NULL).
    assert_eq!(returned, [(ann.id, Some(true)), (s.students[1].id, None)]);
    assert_eq!(
        archive(&db).await,
        [
            archived(ann, Some("S001"), Some("again")),
            archived(&s.students[1], Some("S002"), None)
        ]
    );

    // DO NOTHING on a named target, and on any conflict: nothing new.
    let skipped = ArchivedStudent::insert_select(ARCHIVE_COLUMNS, school_students(s.school.id))
        .on_conflict(ArchivedStudent::SIS_ID)
        .do_nothing();
    assert!(skipped
        .to_sql()
        .ends_with(" LIMIT $2 ON CONFLICT (\"sis_id\") DO NOTHING"),);
    let n = ArchivedStudent::insert_select(ARCHIVE_COLUMNS, school_students(s.school.id))
        .on_conflict(ArchivedStudent::SIS_ID)
        .do_nothing()
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(n, 0);
    let n = ArchivedStudent::insert_select(
        ARCHIVE_COLUMNS,
        Student::select().columns((Student::ID, Student::FIRST_NAME, Student::SIS_ID.nullable())),
    )
    .on_conflict_do_nothing()
    .execute(&db)
    .await
    .unwrap();
    assert_eq!(n, 1, "only Cal is new");
    assert_eq!(archive(&db).await.len(), 3);
}

strata::cte! {
    /// The rows a data-modifying CTE moved: what its RETURNING gave.
    pub struct Moved as "moved" {
        ID: i32 = "id",
        FIRST_NAME: String = "first_name",
    }
}

strata::cte! {
    /// Ids a data-modifying CTE returned.
    pub struct Ids as "ids" {
        ID: i32 = "id",
    }
}

#[tokio::test]
async fn a_delete_returning_moves_rows_into_an_insert_select() {
    let (_t, db) = school_with_archive().await;
    let s = seed(&db).await;
    let q = || {
        let moved = Cte::<Moved>::modifying(
            Student::delete()
                .filter(Student::STATUS.eq(StudentStatus::Inactive))
                .returning((Student::ID, Student::FIRST_NAME)),
        );
        ArchivedStudent::insert_select(
            (ArchivedStudent::ID, ArchivedStudent::FIRST_NAME),
            moved.select(),
        )
        .returning_all()
    };
    let (sql, params) = params_of(q());
    assert_eq!(
        sql,
        "WITH \"moved\" (\"id\", \"first_name\") AS (DELETE FROM \"public\".\"students\" \
         WHERE (\"students\".\"status\" = $1) RETURNING \"students\".\"id\", \"students\".\"first_name\") \
         INSERT INTO \"public\".\"archived_students\" (\"id\", \"first_name\") \
         SELECT \"moved\".\"id\", \"moved\".\"first_name\" FROM \"moved\" \
         RETURNING \"archived_students\".\"id\", \"archived_students\".\"first_name\", \
         \"archived_students\".\"sis_id\", \"archived_students\".\"note\""
    );
    assert_eq!(params, "[EnumParam(\"inactive\")]");

    let cal = &s.students[2];
    let returned = q().all(&db).await.unwrap();
    assert_eq!(returned, [archived(cal, None, None)]);
    // Gone from one table, in the other.
    let left: Vec<String> = Student::select()
        .columns(Student::SIS_ID)
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(left, ["S001", "S002"]);
    assert_eq!(archive(&db).await, [archived(cal, None, None)]);
    // Nothing left to move: the statement still runs, moving nothing.
    assert_eq!(q().execute(&db).await.unwrap(), 0);
}

#[tokio::test]
async fn an_insert_carries_ctes_before_those_of_its_select() {
    let (_t, db) = school_with_archive().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    let (ann, ben) = (&s.students[0], &s.students[1]);
    // $1 the delete's student, $2 busy's school, $3 the minimum.
    let q = || {
        let gone = Cte::<Ids>::modifying(
            Intervention::delete()
                .filter(Intervention::STUDENT_ID.eq(ben.id))
                .returning(Intervention::ID),
        );
        ArchivedStudent::insert_select(
            (ArchivedStudent::ID, ArchivedStudent::FIRST_NAME),
            busy_in(s.school.id)
                .select()
                .columns((Busy::STUDENT_ID, Busy::FIRST_NAME))
                .filter(Busy::INTERVENTIONS.gte(2_i64)),
        )
        .with(gone)
    };
    let (sql, params) = params_of(q());
    assert!(
        sql.starts_with(
            "WITH \"ids\" (\"id\") AS (DELETE FROM \"public\".\"interventions\" \
             WHERE (\"interventions\".\"student_id\" = $1) RETURNING \"interventions\".\"id\"), \
             \"busy\" (\"student_id\", \"first_name\", \"interventions\") AS (SELECT "
        ),
        "{sql}"
    );
    assert!(sql.contains("(\"students\".\"school_id\" = $2)"), "{sql}");
    assert!(
        sql.ends_with(
            ") INSERT INTO \"public\".\"archived_students\" (\"id\", \"first_name\") \
             SELECT \"busy\".\"student_id\", \"busy\".\"first_name\" FROM \"busy\" \
             WHERE (\"busy\".\"interventions\" >= $3)"
        ),
        "{sql}"
    );
    assert_eq!(params, format!("[{}, {}, 2]", ben.id, s.school.id));

    assert_eq!(q().execute(&db).await.unwrap(), 1);
    assert_eq!(archive(&db).await, [archived(ann, None, None)]);
    // The unread data-modifying CTE ran too: Ben's intervention is gone.
    let left: Vec<i32> = Intervention::select()
        .columns(Intervention::STUDENT_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(left, [ann.id, ann.id]);
}

#[tokio::test]
async fn a_values_insert_carries_a_data_modifying_cte() {
    let (_t, db) = school_with_archive().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    let ann = &s.students[0];
    let q = || {
        ArchivedStudent::insert(NewArchivedStudent::new(ann.id, "Ann").note("closed"))
            .with(Cte::<Ids>::modifying(
                Intervention::delete()
                    .filter(Intervention::STUDENT_ID.eq(ann.id))
                    .returning(Intervention::ID),
            ))
            .returning(ArchivedStudent::NOTE)
    };
    let (sql, params) = params_of(q());
    assert_eq!(
        sql,
        "WITH \"ids\" (\"id\") AS (DELETE FROM \"public\".\"interventions\" \
         WHERE (\"interventions\".\"student_id\" = $1) RETURNING \"interventions\".\"id\") \
         INSERT INTO \"public\".\"archived_students\" (\"id\", \"first_name\", \"note\") \
         VALUES ($2, $3, $4) RETURNING \"archived_students\".\"note\""
    );
    assert_eq!(
        params,
        format!("[{}, {}, \"Ann\", \"closed\"]", ann.id, ann.id)
    );
    assert_eq!(q().all(&db).await.unwrap(), [Some("closed".to_string())]);
    assert_eq!(archive(&db).await, [archived(ann, None, Some("closed"))]);
    let left: Vec<i32> = Intervention::select()
        .columns(Intervention::STUDENT_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(left, [s.students[1].id]);
}

#[tokio::test]
async fn a_select_reads_what_an_insert_returned() {
    let (_t, db) = school_with_archive().await;
    seed(&db).await;
    let new_roles = || {
        Cte::<Ids>::modifying(
            Role::insert_many(vec![
                NewRole::new("counselor"),
                NewRole::new("nurse").description("health"),
            ])
            .returning(Role::ID),
        )
    };
    let q = new_roles().select().order_by(Ids::ID);
    let (sql, params) = params_of(q);
    assert_eq!(
        sql,
        "WITH \"ids\" (\"id\") AS (INSERT INTO \"public\".\"roles\" (\"name\", \"description\") \
         VALUES ($1, DEFAULT), ($2, $3) RETURNING \"roles\".\"id\") \
         SELECT \"ids\".\"id\" FROM \"ids\" ORDER BY \"ids\".\"id\""
    );
    assert_eq!(params, "[\"counselor\", \"nurse\", \"health\"]");
    let ids: Vec<i32> = new_roles()
        .select()
        .order_by(Ids::ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let stored: Vec<(i32, String)> = Role::select()
        .columns((Role::ID, Role::NAME))
        .filter(Role::ID.in_list(ids.clone()))
        .order_by(Role::ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        stored,
        [(ids[0], "counselor".into()), (ids[1], "nurse".into())]
    );

    // The statement sees the table as it was before the CTE wrote (the
    // CTE's rows are how to read the change): the join finds no role.
    let joined: Vec<String> = Role::select()
        .inner_join_cte(new_roles())
        .on(Ids::ID.eq(Role::ID))
        .columns(Role::NAME)
        .all(&db)
        .await
        .unwrap();
    assert!(joined.is_empty(), "{joined:?}");
    let count: i64 = Role::select().columns(count()).one(&db).await.unwrap();
    assert_eq!(count, 6);
}

#[tokio::test]
async fn an_update_and_an_insert_select_define_data_modifying_ctes() {
    let (_t, db) = school_with_archive().await;
    let s = seed(&db).await;
    // UPDATE ... RETURNING as the CTE; a join to a table reads its rows.
    let changed = Cte::<Moved>::modifying(
        Student::update()
            .set(Student::STATUS, StudentStatus::Graduated)
            .filter(Student::GRADE_LEVEL.eq(GradeLevel::Sixth))
            .returning((Student::ID, Student::LAST_NAME)),
    );
    let q = School::select()
        .inner_join_cte(changed)
        .on(School::ID.eq(s.school.id))
        .columns((School::NAME, Moved::FIRST_NAME));
    let sql = q.to_sql();
    assert!(
        sql.starts_with(
            "WITH \"moved\" (\"id\", \"first_name\") AS (UPDATE \"public\".\"students\" \
             SET \"status\" = $1 WHERE (\"students\".\"grade_level\" = $2) \
             RETURNING \"students\".\"id\", \"students\".\"last_name\") SELECT "
        ),
        "{sql}"
    );
    assert!(sql.ends_with(" ON (\"schools\".\"id\" = $3)"), "{sql}");
    let rows: Vec<(String, String)> = School::select()
        .inner_join_cte(Cte::<Moved>::modifying(
            Student::update()
                .set(Student::STATUS, StudentStatus::Graduated)
                .filter(Student::GRADE_LEVEL.eq(GradeLevel::Sixth))
                .returning((Student::ID, Student::LAST_NAME)),
        ))
        .on(School::ID.eq(s.school.id))
        .columns((School::NAME, Moved::FIRST_NAME))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows, [("Lincoln".to_string(), "Kim".to_string())]);
    let status: StudentStatus = Student::select()
        .columns(Student::STATUS)
        .filter(Student::ID.eq(s.students[1].id))
        .one(&db)
        .await
        .unwrap();
    assert_eq!(status, StudentStatus::Graduated);

    // INSERT ... SELECT ... RETURNING as the CTE, counted by the select.
    let copied = || {
        Cte::<Ids>::modifying(
            ArchivedStudent::insert_select(
                (ArchivedStudent::ID, ArchivedStudent::FIRST_NAME),
                Student::select()
                    .columns((Student::ID, Student::FIRST_NAME))
                    .filter(Student::GRADE_LEVEL.eq(GradeLevel::Fifth)),
            )
            .returning(ArchivedStudent::ID),
        )
    };
    assert_eq!(
        copied().select().columns(count()).to_sql(),
        "WITH \"ids\" (\"id\") AS (INSERT INTO \"public\".\"archived_students\" (\"id\", \"first_name\") \
         SELECT \"students\".\"id\", \"students\".\"first_name\" FROM \"public\".\"students\" \
         WHERE (\"students\".\"grade_level\" = $1) RETURNING \"archived_students\".\"id\") \
         SELECT count(*) FROM \"ids\""
    );
    let n: i64 = copied().select().columns(count()).one(&db).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(
        archive(&db).await,
        [
            archived(&s.students[0], None, None),
            archived(&s.students[2], None, None)
        ]
    );
}

#[tokio::test]
async fn an_update_and_a_delete_read_a_data_modifying_cte() {
    let (_t, db) = school_with_archive().await;
    let s = seed(&db).await;
    // Every student archived, whatever their school.
    ArchivedStudent::insert_select(
        ARCHIVE_COLUMNS,
        Student::select().columns((Student::ID, Student::FIRST_NAME, Student::SIS_ID.nullable())),
    )
    .execute(&db)
    .await
    .unwrap();
    assert_eq!(archive(&db).await.len(), 3);
    // WITH moved AS (DELETE ... RETURNING ...) UPDATE ... FROM moved.
    let update = || {
        let moved = Cte::<Moved>::modifying(
            Student::delete()
                .filter(Student::STATUS.eq(StudentStatus::Inactive))
                .returning((Student::ID, Student::FIRST_NAME)),
        );
        ArchivedStudent::update()
            .set(ArchivedStudent::NOTE, Some("left the school".to_string()))
            .from_cte(moved)
            .filter(ArchivedStudent::ID.eq(Moved::ID))
            .returning(ArchivedStudent::ID)
    };
    let (sql, params) = params_of(update());
    assert_eq!(
        sql,
        "WITH \"moved\" (\"id\", \"first_name\") AS (DELETE FROM \"public\".\"students\" \
         WHERE (\"students\".\"status\" = $1) RETURNING \"students\".\"id\", \"students\".\"first_name\") \
         UPDATE \"public\".\"archived_students\" SET \"note\" = $2 FROM \"moved\" \
         WHERE (\"archived_students\".\"id\" = \"moved\".\"id\") RETURNING \"archived_students\".\"id\""
    );
    assert_eq!(params, "[EnumParam(\"inactive\"), \"left the school\"]");
    let cal = &s.students[2];
    assert_eq!(update().all(&db).await.unwrap(), [cal.id]);
    let notes: Vec<(i32, Option<String>)> = ArchivedStudent::select()
        .columns((ArchivedStudent::ID, ArchivedStudent::NOTE))
        .order_by(ArchivedStudent::ID)
        .all(&db)
        .await
        .unwrap();
    let expected: Vec<(i32, Option<String>)> = s
        .students
        .iter()
        .map(|st| {
            (
                st.id,
                (st.id == cal.id).then(|| "left the school".to_string()),
            )
        })
        .collect();
    assert_eq!(notes, expected);
    assert_eq!(
        Student::select().columns(count()).one(&db).await.unwrap(),
        2_i64
    );

    // WITH gone AS (DELETE ... RETURNING id) DELETE ... USING gone: the
    // archive rows of students deleted by the CTE go too.
    let delete = Student::delete()
        .filter(Student::ID.eq(s.students[0].id))
        .returning(Student::ID);
    let gone = Cte::<Ids>::modifying(delete);
    let removed: Vec<i32> = ArchivedStudent::delete()
        .using_cte(gone)
        .filter(ArchivedStudent::ID.eq(Ids::ID))
        .returning(ArchivedStudent::ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(removed, [s.students[0].id]);
    let left: Vec<i32> = ArchivedStudent::select()
        .columns(ArchivedStudent::ID)
        .order_by(ArchivedStudent::ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(left, [s.students[1].id, cal.id]);
    assert_eq!(
        Student::select().columns(count()).one(&db).await.unwrap(),
        1_i64
    );
}

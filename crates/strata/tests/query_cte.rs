//! Common table expressions (`WITH`) on a real server: a CTE selected from,
//! joined to a table, read in an IN subquery, with its parameters numbered
//! together with the main query's, two CTEs in one statement, and outer
//! joins of a CTE (whose unmatched side reads `None`).

mod query_support;

use query_support::*;
use strata::query::prelude::*;
use strata::query::Cte;
use strata_example_school::*;

strata::cte! {
    /// Users with a given role name (one column).
    pub struct Holders as "holders" {
        USER_ID: i32 = "user_id",
    }
}

/// The students of `school` with their intervention count, as the `Busy` CTE.

#[tokio::test]
async fn select_from_a_cte() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    let rows: Vec<(i32, String, i64)> = busy_in(s.school.id)
        .select()
        .order_by(Busy::FIRST_NAME)
        .all(&db)
        .await
        .unwrap();
    // Cal has no school, so the CTE's filter leaves him out.
    assert_eq!(
        rows,
        [
            (s.students[0].id, "Ann".to_string(), 2),
            (s.students[1].id, "Ben".to_string(), 1)
        ]
    );
}

#[tokio::test]
async fn cte_text_is_a_with_item_and_parameters_number_the_whole_statement() {
    let q = busy_in(7)
        .select()
        .columns(Busy::FIRST_NAME)
        .filter(Busy::INTERVENTIONS.gt(1_i64))
        .limit(3);
    assert_eq!(
        q.to_sql(),
        "WITH \"busy\" (\"student_id\", \"first_name\", \"interventions\") AS (\
         SELECT \"students\".\"id\", \"students\".\"first_name\", count(\"interventions\".\"id\") \
         FROM \"public\".\"students\" LEFT JOIN \"public\".\"interventions\" \
         ON (\"interventions\".\"student_id\" = \"students\".\"id\") \
         WHERE (\"students\".\"school_id\" = $1) GROUP BY \"students\".\"id\") \
         SELECT \"busy\".\"first_name\" FROM \"busy\" WHERE (\"busy\".\"interventions\" > $2) LIMIT $3"
    );
}

#[tokio::test]
async fn cte_joined_to_a_table_with_parameters_on_both_sides() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // $1 is the CTE's school, $2 the main query's minimum, $3 its sis id pattern.
    let q = Student::select()
        .inner_join_cte(busy_in(s.school.id))
        .on(Busy::STUDENT_ID.eq(Student::ID))
        .columns((Student::SIS_ID, Busy::INTERVENTIONS))
        .filter(Busy::INTERVENTIONS.gte(1_i64))
        .filter(Student::SIS_ID.like("S00%"))
        .order_by(Student::SIS_ID);
    let rows: Vec<(String, i64)> = q.all(&db).await.unwrap();
    assert_eq!(rows, [("S001".to_string(), 2), ("S002".to_string(), 1)]);

    // A stricter main-query value: only Ann has two interventions.
    let rows: Vec<(String, i64)> = Student::select()
        .inner_join_cte(busy_in(s.school.id))
        .on(Busy::STUDENT_ID.eq(Student::ID))
        .columns((Student::SIS_ID, Busy::INTERVENTIONS))
        .filter(Busy::INTERVENTIONS.gte(2_i64))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows, [("S001".to_string(), 2)]);

    let sql = Student::select()
        .inner_join_cte(busy_in(s.school.id))
        .on(Busy::STUDENT_ID.eq(Student::ID))
        .columns(Student::SIS_ID)
        .filter(Busy::INTERVENTIONS.gte(2_i64))
        .to_sql();
    let school_at = sql.find("\"school_id\" = $1").expect(&sql);
    let min_at = sql.find("\"interventions\" >= $2").expect(&sql);
    assert!(school_at < min_at, "{sql}");
    assert!(!sql.contains("$3"), "{sql}");
}

#[tokio::test]
async fn left_join_cte_reads_missing_rows_as_null() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // Every student, with the count where the school's CTE has them.
    let rows: Vec<(String, Option<i64>)> = Student::select()
        .left_join_cte(busy_in(s.school.id))
        .on(Busy::STUDENT_ID.eq(Student::ID))
        .columns((Student::FIRST_NAME, Busy::INTERVENTIONS))
        .order_by(Student::FIRST_NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            ("Ann".to_string(), Some(2)),
            ("Ben".to_string(), Some(1)),
            ("Cal".to_string(), None)
        ]
    );
}

#[tokio::test]
async fn right_join_cte_reads_the_tables_before_it_as_none() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // Each busy student with their behavioral intervention: Ben has none,
    // so his intervention (the table before the CTE) is None.
    let rows: Vec<(Option<Intervention>, String, i64)> = Intervention::select()
        .right_join_cte(busy_in(s.school.id))
        .on(Intervention::STUDENT_ID
            .eq(Busy::STUDENT_ID)
            .and(Intervention::TYPE.eq(InterventionType::Behavioral)))
        .columns((all::<Intervention>(), Busy::FIRST_NAME, Busy::INTERVENTIONS))
        .order_by(Busy::FIRST_NAME)
        .all(&db)
        .await
        .unwrap();
    let found: Vec<(Option<InterventionType>, &str, i64)> = rows
        .iter()
        .map(|(i, name, n)| (i.as_ref().map(|i| i.r#type), name.as_str(), *n))
        .collect();
    assert_eq!(
        found,
        [
            (Some(InterventionType::Behavioral), "Ann", 2),
            (None, "Ben", 1)
        ]
    );
}

#[tokio::test]
async fn full_join_cte_reads_either_side_as_none() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // Ann is kept out of the match on purpose, so she appears twice: once
    // as a student without a CTE row, once as a CTE row without a student.
    let mut rows: Vec<(Option<String>, Option<String>, Option<i64>)> = Student::select()
        .full_join_cte(busy_in(s.school.id))
        .on(Busy::STUDENT_ID
            .eq(Student::ID)
            .and(Student::FIRST_NAME.ne("Ann")))
        .columns((Student::FIRST_NAME, Busy::FIRST_NAME, Busy::INTERVENTIONS))
        .all(&db)
        .await
        .unwrap();
    rows.sort();
    assert_eq!(
        rows,
        [
            (None, Some("Ann".to_string()), Some(2)),
            (Some("Ann".to_string()), None, None),
            (Some("Ben".to_string()), Some("Ben".to_string()), Some(1)),
            (Some("Cal".to_string()), None, None)
        ]
    );
}

#[tokio::test]
async fn cte_in_a_filter_subquery() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // Students whose school count is at least 2, via IN (WITH ... SELECT ...).
    let q = Student::select()
        .columns(Student::FIRST_NAME)
        .filter(Student::STATUS.eq(StudentStatus::Active))
        .filter(
            Student::ID.in_select(
                busy_in(s.school.id)
                    .select()
                    .columns(Busy::STUDENT_ID)
                    .filter(Busy::INTERVENTIONS.gte(2_i64)),
            ),
        );
    let names: Vec<String> = q.all(&db).await.unwrap();
    assert_eq!(names, ["Ann"]);
}

#[tokio::test]
async fn two_ctes_in_one_query() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // Interventions created by holders of the teacher role (alice), per
    // student of the school: Busy joined to Holders through Intervention.
    let holders = Cte::<Holders>::new(
        UserRole::select()
            .inner_join::<Role>()
            .on(UserRole::ROLE_ID.eq(Role::ID))
            .columns(UserRole::USER_ID)
            .filter(Role::NAME.eq("teacher")),
    );
    let q = busy_in(s.school.id)
        .select()
        .inner_join::<Intervention>()
        .on(Intervention::STUDENT_ID.eq(Busy::STUDENT_ID))
        .inner_join_cte(holders)
        .on(Holders::USER_ID.eq(Intervention::CREATED_BY))
        .columns((Busy::FIRST_NAME, Holders::USER_ID))
        .filter(Intervention::TYPE.eq(InterventionType::Academic))
        .order_by(Busy::FIRST_NAME);
    let sql = {
        let again = busy_in(s.school.id)
            .select()
            .inner_join_cte(Cte::<Holders>::new(
                UserRole::select()
                    .inner_join::<Role>()
                    .on(UserRole::ROLE_ID.eq(Role::ID))
                    .columns(UserRole::USER_ID)
                    .filter(Role::NAME.eq("teacher")),
            ))
            .on(Holders::USER_ID.eq(Busy::STUDENT_ID))
            .filter(Busy::INTERVENTIONS.gt(0_i64));
        again.to_sql()
    };
    assert!(sql.starts_with("WITH \"busy\" ("), "{sql}");
    assert!(
        sql.contains("), \"holders\" (\"user_id\") AS (SELECT"),
        "{sql}"
    );
    for (i, needle) in [
        "\"school_id\" = $1",
        "\"name\" = $2",
        "\"interventions\" > $3",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            sql.contains(needle),
            "parameter {} not where expected: {sql}",
            i + 1
        );
    }
    let rows: Vec<(String, i32)> = q.all(&db).await.unwrap();
    assert_eq!(
        rows,
        [
            ("Ann".to_string(), s.alice.id),
            ("Ben".to_string(), s.alice.id)
        ]
    );
}

strata::cte! {
    /// Students with at least some interventions, built on `Busy`.
    pub struct Heavy as "heavy" {
        STUDENT_ID: i32 = "student_id",
    }
}

#[tokio::test]
async fn cte_built_on_another_cte() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // heavy AS (WITH busy AS (... $1) SELECT ... WHERE interventions >= $2),
    // then the main query's $3.
    let heavy = Cte::<Heavy>::new(
        busy_in(s.school.id)
            .select()
            .columns(Busy::STUDENT_ID)
            .filter(Busy::INTERVENTIONS.gte(1_i64)),
    );
    let q = Student::select()
        .inner_join_cte(heavy)
        .on(Heavy::STUDENT_ID.eq(Student::ID))
        .columns(Student::FIRST_NAME)
        .filter(Student::SIS_ID.ne("S001"));
    let names: Vec<String> = q.all(&db).await.unwrap();
    assert_eq!(names, ["Ben"]);
}

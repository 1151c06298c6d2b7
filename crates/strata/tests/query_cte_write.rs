//! CTEs read by UPDATE (`WITH ... UPDATE ... FROM`) and DELETE (`WITH ...
//! DELETE ... USING`) on a real server: the CTE's columns in filters, SET
//! values and RETURNING, parameters numbered over the whole statement.

mod query_support;

use query_support::*;
use strata::query::prelude::*;
use strata::PgEnum;
use strata_example_school::*;

#[tokio::test]
async fn update_from_a_cte() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // $1 the CTE's school, $2 the SET value, $3 the minimum.
    let q = Student::update()
        .from_cte(busy_in(s.school.id))
        .set(Student::STATUS, StudentStatus::Inactive)
        .set(Student::LAST_NAME, Busy::FIRST_NAME)
        .filter(
            Busy::STUDENT_ID
                .eq(Student::ID)
                .and(Busy::INTERVENTIONS.gte(2_i64)),
        )
        .returning((Student::SIS_ID, Busy::INTERVENTIONS));
    let sql = q.to_sql();
    assert!(sql.starts_with("WITH \"busy\" ("), "{sql}");
    assert!(
        sql.contains(
            ") UPDATE \"public\".\"students\" SET \"status\" = $2, \"last_name\" = \"busy\".\"first_name\" \
             FROM \"busy\" WHERE ((\"busy\".\"student_id\" = \"students\".\"id\") AND (\"busy\".\"interventions\" >= $3)) \
             RETURNING \"students\".\"sis_id\", \"busy\".\"interventions\""
        ),
        "{sql}"
    );
    assert!(sql.contains("\"school_id\" = $1"), "{sql}");

    let changed: Vec<(String, i64)> = Student::update()
        .from_cte(busy_in(s.school.id))
        .set(Student::STATUS, StudentStatus::Inactive)
        .set(Student::LAST_NAME, Busy::FIRST_NAME)
        .filter(
            Busy::STUDENT_ID
                .eq(Student::ID)
                .and(Busy::INTERVENTIONS.gte(2_i64)),
        )
        .returning((Student::SIS_ID, Busy::INTERVENTIONS))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(changed, [("S001".to_string(), 2)]);
    let now: Vec<(String, StudentStatus, String)> = Student::select()
        .columns((Student::SIS_ID, Student::STATUS, Student::LAST_NAME))
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        now,
        [
            ("S001".into(), StudentStatus::Inactive, "Ann".into()),
            ("S002".into(), StudentStatus::Active, "Kim".into()),
            ("S003".into(), StudentStatus::Inactive, "Ng".into())
        ]
    );
}

#[tokio::test]
async fn delete_using_a_cte() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    seed_interventions(&db, &s).await;
    // The interventions of students with at least two.
    let mut deleted: Vec<(InterventionType, String)> = Intervention::delete()
        .using_cte(busy_in(s.school.id))
        .filter(
            Intervention::STUDENT_ID
                .eq(Busy::STUDENT_ID)
                .and(Busy::INTERVENTIONS.gte(2_i64)),
        )
        .returning((Intervention::TYPE, Busy::FIRST_NAME))
        .all(&db)
        .await
        .unwrap();
    deleted.sort_by_key(|(t, _)| t.label());
    assert_eq!(
        deleted,
        [
            (InterventionType::Academic, "Ann".to_string()),
            (InterventionType::Behavioral, "Ann".to_string())
        ]
    );
    let left: Vec<i32> = Intervention::select()
        .columns(Intervention::STUDENT_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(left, [s.students[1].id]);
}

//! Joins (inner/left/right/full), group by/having with aggregates, on a real server.
//! Columns of an outer-joined table are read with `.nullable()` (as `Option`).

mod query_support;

use query_support::*;
use strata::query::prelude::*;
use strata_example_school::*;

#[tokio::test]
async fn seed_004_left_join_user_roles() {
    let (_t, db) = school().await;
    seed(&db).await;
    // Seed 004: users left join user_roles left join roles, filtered by sub.
    let rows: Vec<(Option<String>, Option<String>)> = User::select()
        .left_join::<UserRole>()
        .on(User::ID.eq(UserRole::USER_ID))
        .left_join::<Role>()
        .on(UserRole::ROLE_ID.eq(Role::ID))
        .columns((User::FIRST_NAME, Role::NAME.nullable()))
        .filter(User::COGNITO_SUB.eq("sub-alice"))
        .order_by(Role::NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            (Some("Alice".into()), Some("admin".into())),
            (Some("Alice".into()), Some("teacher".into()))
        ]
    );
}

#[tokio::test]
async fn inner_join_whole_tables_and_filters_on_both() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    let rows: Vec<(User, Role)> = User::select()
        .inner_join::<UserRole>()
        .on(User::ID.eq(UserRole::USER_ID))
        .inner_join::<Role>()
        .on(UserRole::ROLE_ID.eq(Role::ID))
        .columns((all::<User>(), all::<Role>()))
        .filter(Role::NAME.eq("teacher").and(User::EMAIL.like("%.org")))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0.id, s.bob.id);
    assert_eq!(rows[0].1.id, s.teacher.id);
    assert_eq!(rows[0].1.description.as_deref(), Some("teaches"));
}

#[tokio::test]
async fn left_join_keeps_rows_without_a_match() {
    let (_t, db) = school().await;
    seed(&db).await;
    let rows: Vec<(String, Option<String>)> = Student::select()
        .left_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((Student::SIS_ID, School::NAME.nullable()))
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            ("S001".into(), Some("Lincoln".into())),
            ("S002".into(), Some("Lincoln".into())),
            ("S003".into(), None)
        ]
    );
}

#[tokio::test]
async fn right_and_full_joins() {
    let (_t, db) = school().await;
    seed(&db).await;
    School::insert(NewSchool::new("Empty"))
        .execute(&db)
        .await
        .unwrap();
    let right: Vec<(Option<String>, String)> = Student::select()
        .right_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((Student::SIS_ID.nullable(), School::NAME))
        .order_by(School::NAME)
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        right,
        [
            (None, "Empty".into()),
            (Some("S001".into()), "Lincoln".into()),
            (Some("S002".into()), "Lincoln".into())
        ]
    );
    let full: Vec<(Option<String>, Option<String>)> = Student::select()
        .full_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((Student::SIS_ID.nullable(), School::NAME.nullable()))
        .order_by(Student::SIS_ID.asc_nulls_first())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(full.len(), 4);
    assert_eq!(full[0], (None, Some("Empty".into())));
    assert_eq!(full[3], (Some("S003".into()), None));
}

/// sis_id, sessions, total, average, shortest and longest minutes.
type SessionStats = (
    String,
    i64,
    Option<i64>,
    Option<f64>,
    Option<i32>,
    Option<i32>,
);

#[tokio::test]
async fn group_by_with_count_sum_avg_min_max_and_having() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    for (student, minutes) in [(0, 30), (0, 45), (1, 20)] {
        let i = Intervention::insert(NewIntervention::new(
            s.students[student].id,
            InterventionType::Academic,
            date(2024, 1, 1),
            s.alice.id,
        ))
        .returning(Intervention::ID)
        .one(&db)
        .await
        .unwrap();
        InterventionSession::insert(
            NewInterventionSession::new(i, date(2024, 2, 1), s.alice.id).duration_minutes(minutes),
        )
        .execute(&db)
        .await
        .unwrap();
    }
    // Seed 004: count of interventions by type.
    let by_type: Vec<(InterventionType, i64)> = Intervention::select()
        .columns((Intervention::TYPE, count()))
        .group_by(Intervention::TYPE)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(by_type, [(InterventionType::Academic, 3)]);

    // Per student: sessions, total / average / min / max minutes.
    let stats: Vec<SessionStats> = Student::select()
        .inner_join::<Intervention>()
        .on(Intervention::STUDENT_ID.eq(Student::ID))
        .inner_join::<InterventionSession>()
        .on(InterventionSession::INTERVENTION_ID.eq(Intervention::ID))
        .columns((
            Student::SIS_ID,
            count_of(InterventionSession::ID),
            sum(InterventionSession::DURATION_MINUTES),
            avg(InterventionSession::DURATION_MINUTES),
            min(InterventionSession::DURATION_MINUTES),
            max(InterventionSession::DURATION_MINUTES),
        ))
        .group_by(Student::SIS_ID)
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        stats,
        [
            ("S001".into(), 2, Some(75), Some(37.5), Some(30), Some(45)),
            ("S002".into(), 1, Some(20), Some(20.0), Some(20), Some(20)),
        ]
    );
    let busy: Vec<String> = Student::select()
        .inner_join::<Intervention>()
        .on(Intervention::STUDENT_ID.eq(Student::ID))
        .columns(Student::SIS_ID)
        .group_by(Student::SIS_ID)
        .having(count().gt(1))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(busy, ["S001"]);

    // Seed 004: grade stats with a left join and a CASE in the sum.
    let grade: Vec<(GradeLevel, i64, Option<i64>)> = Student::select()
        .left_join::<Intervention>()
        .on(Student::ID.eq(Intervention::STUDENT_ID))
        .columns((
            Student::GRADE_LEVEL,
            count(),
            sum(sql::<i32>()
                .text("CASE WHEN ")
                .expr(Intervention::STATUS)
                .text(" = ")
                .bind(InterventionStatus::Planned)
                .text(" THEN 1 ELSE 0 END")
                .finish()),
        ))
        .group_by(Student::GRADE_LEVEL)
        .order_by(Student::GRADE_LEVEL)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        grade,
        [
            (GradeLevel::Fifth, 3, Some(2)),
            (GradeLevel::Sixth, 1, Some(1))
        ]
    );
}

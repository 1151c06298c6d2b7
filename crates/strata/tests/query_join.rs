//! Joins (inner/left/right/full), group by/having with aggregates, on a real server.
//! Columns of a table an outer join may leave unmatched select as `Option`
//! by themselves (no `.nullable()`), and unmatched rows read `None`.

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
        .columns((User::FIRST_NAME, Role::NAME))
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
        .columns((Student::SIS_ID, School::NAME))
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
    // `.nullable()` is no longer needed, and still reads one `Option`.
    let rows: Vec<Option<String>> = Student::select()
        .left_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns(School::NAME.nullable())
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows, [Some("Lincoln".into()), Some("Lincoln".into()), None]);
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
        .columns((Student::SIS_ID, School::NAME))
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
        .columns((Student::SIS_ID, School::NAME))
        .order_by(Student::SIS_ID.asc_nulls_first())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(full.len(), 4);
    assert_eq!(full[0], (None, Some("Empty".into())));
    assert_eq!(full[3], (Some("S003".into()), None));
}

#[tokio::test]
async fn left_join_reads_unmatched_tables_columns_and_expressions_as_none() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    // Cal (S003) has no school. The school's NOT NULL name, its nullable
    // district (one Option, not two) and a comparison over it are None for
    // him; count, coalesce and IS NULL never are.
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<bool>,
        i64,
        String,
        bool,
    );
    let rows: Vec<Row> = Student::select()
        .left_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((
            Student::SIS_ID,
            School::NAME,
            School::DISTRICT,
            School::NAME.eq("Lincoln"),
            count_of(School::ID),
            coalesce(School::NAME, "none"),
            School::ID.is_null(),
        ))
        .group_by(Student::SIS_ID)
        .group_by(School::ID)
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    let lincoln = |sis: &str| {
        (
            sis.to_string(),
            Some("Lincoln".to_string()),
            Some("North".to_string()),
            Some(true),
            1,
            "Lincoln".to_string(),
            false,
        )
    };
    assert_eq!(
        rows,
        [
            lincoln("S001"),
            lincoln("S002"),
            ("S003".into(), None, None, None, 0, "none".into(), true)
        ]
    );

    // The whole joined row: `Option<School>`, None without a match.
    let rows: Vec<(Student, Option<School>)> = Student::select()
        .left_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((all::<Student>(), all::<School>()))
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    let found: Vec<(&str, Option<i32>)> = rows
        .iter()
        .map(|(st, sc)| (st.sis_id.as_str(), sc.as_ref().map(|sc| sc.id)))
        .collect();
    assert_eq!(
        found,
        [
            ("S001", Some(s.school.id)),
            ("S002", Some(s.school.id)),
            ("S003", None)
        ]
    );
    assert_eq!(
        rows[0].1.as_ref().unwrap().district.as_deref(),
        Some("North")
    );

    // Filters and order work on the nullable table's columns unchanged.
    let unmatched: Vec<String> = Student::select()
        .left_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns(Student::SIS_ID)
        .filter(School::ID.is_null().or(School::NAME.ne("Lincoln")))
        .order_by(School::NAME.desc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(unmatched, ["S003"]);
}

#[tokio::test]
async fn right_join_reads_the_earlier_tables_as_none() {
    let (_t, db) = school().await;
    seed(&db).await;
    let empty = School::insert(NewSchool::new("Empty"))
        .returning_all()
        .one(&db)
        .await
        .unwrap();
    // The school without students comes back with `None` for the student.
    let rows: Vec<(Option<Student>, School)> = Student::select()
        .right_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((all::<Student>(), all::<School>()))
        .order_by(School::NAME)
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    let found: Vec<(Option<&str>, &str)> = rows
        .iter()
        .map(|(st, sc)| (st.as_ref().map(|st| st.sis_id.as_str()), sc.name.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (None, "Empty"),
            (Some("S001"), "Lincoln"),
            (Some("S002"), "Lincoln")
        ]
    );
    assert_eq!(rows[0].1.id, empty.id);

    // Without `.columns(...)` a select reads its FROM table, which the
    // right join made nullable: `Option<Student>`. Columns chosen before
    // the join become `Option`s the same way.
    let whole: Vec<Option<Student>> = Student::select()
        .right_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .order_by(School::NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(whole.len(), 3);
    assert!(whole[0].is_none());
    let early: Vec<(Option<String>, Option<i64>)> = Student::select()
        .columns((Student::SIS_ID, count()))
        .right_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .group_by(Student::SIS_ID)
        .order_by(Student::SIS_ID.asc_nulls_first())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        early,
        [
            (None, Some(1)),
            (Some("S001".into()), Some(1)),
            (Some("S002".into()), Some(1))
        ]
    );

    // A join after the outer join keeps the earlier nullability: the
    // student (and so the intervention joined on it) stay Options.
    let rows: Vec<(Option<String>, String, Option<i32>)> = Student::select()
        .right_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .left_join::<Intervention>()
        .on(Intervention::STUDENT_ID.eq(Student::ID))
        .columns((Student::SIS_ID, School::NAME, Intervention::ID))
        .order_by(School::NAME)
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            (None, "Empty".into(), None),
            (Some("S001".into()), "Lincoln".into(), None),
            (Some("S002".into()), "Lincoln".into(), None)
        ]
    );
}

#[tokio::test]
async fn full_join_reads_either_side_as_none() {
    let (_t, db) = school().await;
    seed(&db).await;
    School::insert(NewSchool::new("Empty"))
        .execute(&db)
        .await
        .unwrap();
    let rows: Vec<(Option<Student>, Option<School>)> = Student::select()
        .full_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .columns((all::<Student>(), all::<School>()))
        .order_by(Student::SIS_ID.asc_nulls_first())
        .all(&db)
        .await
        .unwrap();
    let found: Vec<(Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|(st, sc)| {
            (
                st.as_ref().map(|st| st.sis_id.as_str()),
                sc.as_ref().map(|sc| sc.name.as_str()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (None, Some("Empty")),
            (Some("S001"), Some("Lincoln")),
            (Some("S002"), Some("Lincoln")),
            (Some("S003"), None)
        ]
    );
    // After a full join, a later inner join still leaves both nullable.
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = Student::select()
        .full_join::<School>()
        .on(Student::SCHOOL_ID.eq(School::ID))
        .inner_join::<Intervention>()
        .on(Intervention::STUDENT_ID.eq(Student::ID))
        .columns((Student::SIS_ID, School::NAME, Intervention::TITLE))
        .all(&db)
        .await
        .unwrap();
    assert!(rows.is_empty());
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

//! Insert (one, many, returning), upsert, update and delete on a real server.

mod query_support;

use query_support::*;
use strata::query::prelude::*;
use strata_example_school::*;

#[tokio::test]
async fn insert_one_returning_generated_values() {
    let (_t, db) = school().await;
    let u: User = User::insert(NewUser::new("sub-1", "one@example.com").last_name("One"))
        .returning_all()
        .one(&db)
        .await
        .unwrap();
    assert!(u.id > 0, "serial id generated");
    assert_eq!(u.last_name.as_deref(), Some("One"));
    assert_eq!(u.first_name, None);
    let (id, email): (i32, String) = User::insert(NewUser::new("sub-2", "two@example.com"))
        .returning((User::ID, User::EMAIL))
        .one(&db)
        .await
        .unwrap();
    assert_eq!(id, u.id + 1);
    assert_eq!(email, "two@example.com");
    let n = User::insert(NewUser::new("sub-3", "three@example.com"))
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn insert_many_in_one_statement() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    assert_eq!(s.students.len(), 3);
    assert_eq!(s.students[2].status, StudentStatus::Inactive);
    assert_eq!(
        s.students[0].status,
        StudentStatus::Active,
        "default applied"
    );
    assert_eq!(s.students[0].school_id, Some(s.school.id));
    assert_eq!(s.students[2].school_id, None);
    let q = Student::insert_many(vec![
        NewStudent::new("S9", "A", "B", GradeLevel::First),
        NewStudent::new("S10", "C", "D", GradeLevel::Kindergarten),
    ]);
    // Columns no row gives are left out (the server fills their defaults).
    assert_eq!(
        q.to_sql(),
        "INSERT INTO \"public\".\"students\" (\"sis_id\", \"first_name\", \"last_name\", \"grade_level\") \
         VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)"
    );
    // A column some rows give: DEFAULT in the others.
    let mixed = Student::insert_many(vec![
        NewStudent::new("S9", "A", "B", GradeLevel::First).status(StudentStatus::Inactive),
        NewStudent::new("S10", "C", "D", GradeLevel::Kindergarten),
    ])
    .returning((Student::SIS_ID, Student::STATUS, Student::SCHOOL_ID))
    .to_sql();
    assert!(
        mixed.contains(
            "\"grade_level\", \"status\") VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, DEFAULT)"
        ),
        "{mixed}"
    );
    let mixed = Student::insert_many(vec![
        NewStudent::new("S9", "A", "B", GradeLevel::First).status(StudentStatus::Inactive),
        NewStudent::new("S10", "C", "D", GradeLevel::Kindergarten),
    ])
    .returning((Student::SIS_ID, Student::STATUS, Student::SCHOOL_ID));
    let rows = mixed.all(&db).await.unwrap();
    assert_eq!(
        rows,
        [
            ("S9".to_string(), StudentStatus::Inactive, None),
            ("S10".to_string(), StudentStatus::Active, None),
        ]
    );
}

#[tokio::test]
async fn upsert_do_nothing_and_do_update_with_excluded() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    let skipped = User::insert(NewUser::new("sub-alice", "dup@example.com"))
        .on_conflict_do_nothing()
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(skipped, 0);
    let skipped = User::insert(NewUser::new("sub-alice", "dup@example.com"))
        .on_conflict(User::COGNITO_SUB)
        .do_nothing()
        .returning_all()
        .all(&db)
        .await
        .unwrap();
    assert!(skipped.is_empty());
    let updated: (i32, String) = User::insert(NewUser::new("sub-alice", "new@example.com"))
        .on_conflict(User::COGNITO_SUB)
        .do_update(|set| set.set(User::EMAIL, excluded(User::EMAIL)))
        .returning((User::ID, User::EMAIL))
        .one(&db)
        .await
        .unwrap();
    assert_eq!(updated, (s.alice.id, "new@example.com".to_string()));
    // A composite conflict target.
    let n = UserRole::insert(NewUserRole::new(s.alice.id, s.admin.id))
        .on_conflict((UserRole::USER_ID, UserRole::ROLE_ID))
        .do_nothing()
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn update_set_filter_returning() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    let jane: User = User::update()
        .set(User::FIRST_NAME, "Jane")
        .set(User::LAST_SIGN_IN_AT, Some(s.alice.created_at))
        .filter(User::ID.eq(s.alice.id))
        .returning_all()
        .one(&db)
        .await
        .unwrap();
    assert_eq!(jane.first_name.as_deref(), Some("Jane"));
    assert_eq!(jane.last_sign_in_at, Some(s.alice.created_at));
    // Expressions on the right-hand side, NULL.
    let n = Student::update()
        .set(Student::STATUS, StudentStatus::Graduated)
        .set_null(Student::SCHOOL_ID)
        .filter(Student::GRADE_LEVEL.eq(GradeLevel::Sixth))
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let (status, school): (StudentStatus, Option<i32>) = Student::select()
        .columns((Student::STATUS, Student::SCHOOL_ID))
        .filter(Student::SIS_ID.eq("S002"))
        .one(&db)
        .await
        .unwrap();
    assert_eq!((status, school), (StudentStatus::Graduated, None));
    let ids: Vec<i32> = Role::update()
        .set(
            Role::NAME,
            sql::<String>()
                .text("upper(")
                .expr(Role::NAME)
                .text(")")
                .finish(),
        )
        .all_rows()
        .returning(Role::ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let names: Vec<String> = Role::select()
        .columns(Role::NAME)
        .order_by(Role::NAME)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names, ["ADMIN", "TEACHER"]);
}

#[tokio::test]
async fn delete_filter_returning_and_all_rows() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    let gone: Vec<UserRole> = UserRole::delete()
        .filter(
            UserRole::USER_ID
                .eq(s.alice.id)
                .and(UserRole::ROLE_ID.eq(s.admin.id)),
        )
        .returning_all()
        .all(&db)
        .await
        .unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].role_id, s.admin.id);
    let n = UserRole::delete().all_rows().execute(&db).await.unwrap();
    assert_eq!(n, 2);
    let left = UserRole::select().all(&db).await.unwrap();
    assert!(left.is_empty());
}

#[tokio::test]
async fn raw_sql_with_typed_parameters() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    let rows: Vec<(i32, String)> =
        raw("SELECT id, email FROM users WHERE id = $1 OR email LIKE $2 ORDER BY id")
            .bind(s.bob.id)
            .bind("alice@%".to_string())
            .all(&db)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [
            (s.alice.id, "alice@example.com".to_string()),
            (s.bob.id, "bob@school.org".to_string())
        ]
    );
    let status: StudentStatus = raw("SELECT status FROM students WHERE sis_id = $1")
        .bind("S003".to_string())
        .one(&db)
        .await
        .unwrap();
    assert_eq!(status, StudentStatus::Inactive);
}

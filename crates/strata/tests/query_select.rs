//! Typed selects on a real server: every column, chosen columns,
//! expressions, conditions, order, limit/offset, keyset pages, distinct.

mod query_support;

use query_support::*;
use strata::query::prelude::*;
use strata::query::QueryError;
use strata_example_school::*;

#[tokio::test]
async fn select_all_columns_decodes_the_struct() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    let users = User::select().order_by(User::ID).all(&db).await.unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].id, s.alice.id);
    assert_eq!(users[0].email, "alice@example.com");
    assert_eq!(users[0].first_name.as_deref(), Some("Alice"));
    assert_eq!(users[1].last_name, None);
    assert!(users[0].last_sign_in_at.is_none());
    // Defaults were applied by the server and read back.
    assert!(users[0].created_at <= users[1].created_at);
}

#[tokio::test]
async fn chosen_columns_decode_as_a_tuple() {
    let (_t, db) = school().await;
    seed(&db).await;
    let rows: Vec<(i32, String)> = User::select()
        .columns((User::ID, User::EMAIL))
        .order_by(User::EMAIL.desc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ["bob@school.org", "alice@example.com"]
    );
    // One column decodes as the bare value.
    let emails: Vec<String> = User::select()
        .columns(User::EMAIL)
        .order_by(User::EMAIL)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(emails, ["alice@example.com", "bob@school.org"]);
}

#[tokio::test]
async fn expressions_in_the_select_list() {
    let (_t, db) = school().await;
    seed(&db).await;
    let full_name = sql::<Option<String>>()
        .expr(User::FIRST_NAME)
        .text(" || ' ' || ")
        .expr(User::LAST_NAME)
        .finish();
    let rows: Vec<(String, Option<String>)> = User::select()
        .columns((User::EMAIL, full_name))
        .order_by(User::EMAIL)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows[0].1.as_deref(), Some("Alice Smith"));
    assert_eq!(
        rows[1].1, None,
        "NULL last name makes the concatenation NULL"
    );
    let (n,): (i64,) = User::select().columns((count(),)).one(&db).await.unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn conditions_and_or_not_like() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    let found = User::select()
        .filter(User::COGNITO_SUB.eq("sub-bob"))
        .one(&db)
        .await
        .unwrap();
    assert_eq!(found.id, s.bob.id);

    // Seed 004: and(eq(status, 'active'), eq(gradeLevel, '5')).
    let active_fifth = Student::select()
        .filter(and(
            Student::STATUS.eq(StudentStatus::Active),
            Student::GRADE_LEVEL.eq(GradeLevel::Fifth),
        ))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(active_fifth.len(), 1);
    assert_eq!(active_fifth[0].sis_id, "S001");
    assert_eq!(active_fifth[0].grade_level, GradeLevel::Fifth);
    assert_eq!(active_fifth[0].status, StudentStatus::Active);

    let either: Vec<String> = Student::select()
        .columns(Student::SIS_ID)
        .filter(
            Student::STATUS
                .eq(StudentStatus::Inactive)
                .or(Student::GRADE_LEVEL.eq(GradeLevel::Sixth)),
        )
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(either, ["S002", "S003"]);

    let not_fifth: Vec<String> = Student::select()
        .columns(Student::SIS_ID)
        .filter(not(Student::GRADE_LEVEL.eq(GradeLevel::Fifth)))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(not_fifth, ["S002"]);

    let like: Vec<String> = User::select()
        .columns(User::EMAIL)
        .filter(User::EMAIL.like("%@example.com"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(like, ["alice@example.com"]);
    let ilike = User::select()
        .filter(User::EMAIL.ilike("%@EXAMPLE.COM"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(ilike.len(), 1);
    // A nullable text column takes a plain &str too.
    let by_name = User::select()
        .filter(User::FIRST_NAME.eq("Bob"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(by_name[0].id, s.bob.id);
}

#[tokio::test]
async fn comparisons_in_null_between() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    let ids: Vec<i32> = s.students.iter().map(|x| x.id).collect();
    let gte: Vec<i32> = Student::select()
        .columns(Student::ID)
        .filter(Student::ID.gte(ids[1]))
        .order_by(Student::ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(gte, &ids[1..]);
    let lt: Vec<i32> = Student::select()
        .columns(Student::ID)
        .filter(Student::ID.lt(ids[1]).and(Student::ID.ne(-1)))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(lt, &ids[..1]);
    let gt_lte: Vec<i32> = Student::select()
        .columns(Student::ID)
        .filter(Student::ID.gt(ids[0]).and(Student::ID.lte(ids[1])))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(gt_lte, [ids[1]]);
    let in_list: Vec<String> = Student::select()
        .columns(Student::SIS_ID)
        .filter(Student::SIS_ID.in_list(["S001", "S003", "nope"]))
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(in_list, ["S001", "S003"]);
    // One array parameter: lists of any length, one prepared statement.
    let before = db.statement_cache().len();
    for (list, expected) in [
        (
            vec!["S001".to_string(), "S003".into(), "nope".into()],
            vec!["S001", "S003"],
        ),
        (vec!["S002".to_string()], vec!["S002"]),
        (Vec::new(), Vec::new()),
    ] {
        let found: Vec<String> = Student::select()
            .columns(Student::SIS_ID)
            .filter(Student::SIS_ID.eq_any(list))
            .order_by(Student::SIS_ID)
            .all(&db)
            .await
            .unwrap();
        assert_eq!(found, expected);
    }
    assert_eq!(db.statement_cache().len(), before + 1);
    // A nullable column compares with the values of its kind.
    let in_school: Vec<String> = Student::select()
        .columns(Student::SIS_ID)
        .filter(Student::SCHOOL_ID.eq_any(vec![s.school.id]))
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(in_school, ["S001", "S002"]);
    let not_in: Vec<String> = Student::select()
        .columns(Student::SIS_ID)
        .filter(Student::SIS_ID.not_in_list(["S001", "S003"]))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(not_in, ["S002"]);
    let empty_in = Student::select()
        .filter(Student::ID.in_list(Vec::<i32>::new()))
        .all(&db)
        .await
        .unwrap();
    assert!(empty_in.is_empty());
    let no_school: Vec<String> = Student::select()
        .columns(Student::SIS_ID)
        .filter(Student::SCHOOL_ID.is_null())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(no_school, ["S003"]);
    let with_school = Student::select()
        .filter(Student::SCHOOL_ID.is_not_null())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(with_school.len(), 2);
    let between: Vec<i32> = Student::select()
        .columns(Student::ID)
        .filter(Student::ID.between(ids[0], ids[1]))
        .order_by(Student::ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(between, &ids[..2]);
}

#[tokio::test]
async fn order_limit_offset_and_keyset_pages() {
    let (_t, db) = school().await;
    seed(&db).await;
    let page: Vec<String> = Student::select()
        .columns(Student::LAST_NAME)
        .order_by(Student::LAST_NAME.asc())
        .limit(2)
        .offset(1)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(page, ["Lee", "Ng"]);

    // Keyset: (last_name, id) after ("Kim", 0), two per page.
    let first: Vec<(String, i32)> = Student::select()
        .columns((Student::LAST_NAME, Student::ID))
        .after((Student::LAST_NAME, Student::ID), ("Kim".to_string(), 0), 2)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        first.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["Kim", "Lee"]
    );
    let last = first.last().unwrap().clone();
    let next: Vec<String> = Student::select()
        .columns(Student::LAST_NAME)
        .after((Student::LAST_NAME, Student::ID), last, 2)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(next, ["Ng"]);
    // One key column: the ids after Kim's (students were inserted Lee, Kim, Ng).
    let single: Vec<i32> = Student::select()
        .columns(Student::ID)
        .after(Student::ID, first[0].1, 10)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(single, [first[0].1 + 1]);
}

#[tokio::test]
async fn distinct_and_distinct_on() {
    let (_t, db) = school().await;
    seed(&db).await;
    let grades: Vec<GradeLevel> = Student::select()
        .columns(Student::GRADE_LEVEL)
        .distinct()
        .order_by(Student::GRADE_LEVEL)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(grades, [GradeLevel::Fifth, GradeLevel::Sixth]);
    // The first student (by sis_id) of each grade.
    let firsts: Vec<(GradeLevel, String)> = Student::select()
        .columns((Student::GRADE_LEVEL, Student::SIS_ID))
        .distinct_on(Student::GRADE_LEVEL)
        .order_by(Student::GRADE_LEVEL)
        .order_by(Student::SIS_ID.desc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        firsts,
        [
            (GradeLevel::Fifth, "S003".to_string()),
            (GradeLevel::Sixth, "S002".to_string())
        ]
    );
}

#[tokio::test]
async fn one_and_optional_report_row_counts() {
    let (_t, db) = school().await;
    seed(&db).await;
    let none = User::select()
        .filter(User::ID.eq(-1))
        .optional(&db)
        .await
        .unwrap();
    assert!(none.is_none());
    assert!(matches!(
        User::select().filter(User::ID.eq(-1)).one(&db).await,
        Err(QueryError::NoRow)
    ));
    assert!(matches!(
        User::select().one(&db).await,
        Err(QueryError::TooManyRows(2))
    ));
}

#[tokio::test]
async fn values_are_parameters_never_text() {
    let (_t, db) = school().await;
    seed(&db).await;
    let hostile = "x' OR '1'='1";
    let q = User::select().filter(User::EMAIL.eq(hostile)).limit(5);
    let sql = q.to_sql();
    assert!(!sql.contains("OR '1'"), "{sql}");
    assert_eq!(
        sql,
        "SELECT \"users\".\"id\", \"users\".\"cognito_sub\", \"users\".\"email\", \"users\".\"first_name\", \"users\".\"last_name\", \"users\".\"created_at\", \"users\".\"updated_at\", \"users\".\"last_sign_in_at\" FROM \"public\".\"users\" WHERE (\"users\".\"email\" = $1) LIMIT $2"
    );
    let found = User::select()
        .filter(User::EMAIL.eq(hostile))
        .all(&db)
        .await
        .unwrap();
    assert!(found.is_empty());
}

#[tokio::test]
async fn subqueries_exists_and_in() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    // Users holding a system role (correlated EXISTS).
    let admins: Vec<i32> = User::select()
        .columns(User::ID)
        .filter(exists(
            UserRole::select()
                .correlate::<User>()
                .inner_join::<Role>()
                .on(UserRole::ROLE_ID.eq(Role::ID))
                .filter(UserRole::USER_ID.eq(User::ID).and(Role::IS_SYSTEM.eq(true))),
        ))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(admins, [s.alice.id]);
    let others: Vec<i32> = User::select()
        .columns(User::ID)
        .filter(not_exists(
            UserRole::select().correlate::<User>().filter(
                UserRole::USER_ID
                    .eq(User::ID)
                    .and(UserRole::ROLE_ID.eq(s.admin.id)),
            ),
        ))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(others, [s.bob.id]);
    // IN (subquery).
    let teachers: Vec<i32> = User::select()
        .columns(User::ID)
        .filter(
            User::ID.in_select(
                UserRole::select()
                    .columns(UserRole::USER_ID)
                    .filter(UserRole::ROLE_ID.eq(s.teacher.id)),
            ),
        )
        .order_by(User::ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(teachers, [s.alice.id, s.bob.id]);
}

#[tokio::test]
async fn expressions_that_may_be_null_by_their_operands_select_as_option() {
    let (_t, db) = school().await;
    let s = seed(&db).await;
    // Cal (S003) has no school: a comparison with his NULL school_id is
    // NULL, as are `id + NULL`, `IN (.., NULL)` without a match and a
    // coalesce whose fallback is NULL and a fragment over the column; IS
    // NULL never is.
    type Row = (
        String,
        Option<bool>,
        Option<i32>,
        Option<bool>,
        Option<i32>,
        bool,
        Option<i32>,
    );
    let rows: Vec<Row> = Student::select()
        .columns((
            Student::SIS_ID,
            Student::SCHOOL_ID.eq(s.school.id),
            Student::ID.add(None::<i32>),
            Student::ID.in_list([Some(s.students[0].id), None]),
            coalesce(Student::SCHOOL_ID, None::<i32>),
            Student::SCHOOL_ID.is_null(),
            sql::<i32>().expr(Student::SCHOOL_ID).text(" + 0").finish(),
        ))
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            (
                "S001".into(),
                Some(true),
                None,
                Some(true),
                Some(s.school.id),
                false,
                Some(s.school.id)
            ),
            (
                "S002".into(),
                Some(true),
                None,
                None,
                Some(s.school.id),
                false,
                Some(s.school.id)
            ),
            ("S003".into(), None, None, None, None, true, None)
        ]
    );

    // Plain values and NOT NULL columns keep plain types.
    let rows: Vec<(bool, i32, String)> = Student::select()
        .columns((
            Student::ID.eq(s.students[0].id),
            Student::ID.add(1),
            coalesce(Student::LAST_NAME, "?"),
        ))
        .filter(Student::SIS_ID.eq("S001"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows, [(true, s.students[0].id + 1, "Lee".to_string())]);
}

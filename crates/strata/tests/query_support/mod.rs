//! Shared by the query tests: a fresh database with the school schema
//! (examples/school) applied, and a few rows every test can rely on.

#![allow(dead_code)]

use chrono::NaiveDate;
use strata::query::prelude::*;
use strata::query::{Connection, Cte, Executor};
use strata_example_school::*;
use strata_testkit::TestDatabase;

/// A database with the school schema; keep the `TestDatabase` alive.
pub async fn school() -> (TestDatabase, Connection) {
    let db = TestDatabase::create().await;
    let client = db.connect().await;
    let declared = declared().unwrap();
    strata_testkit::create_schema(&client, &declared.schema).await;
    (db, Connection::new(client))
}

/// Students moved out of `students` (the INSERT ... SELECT tests); not
/// part of the school example, so only [`school_with_archive`] creates it.
#[derive(strata::Table, Debug, Clone, PartialEq)]
#[strata(name = "archived_students")]
pub struct ArchivedStudent {
    #[strata(primary_key)]
    pub id: i32,
    pub first_name: String,
    #[strata(sql_type = "varchar(100)", unique)]
    pub sis_id: Option<String>,
    pub note: Option<String>,
}

/// [`school`] plus the `archived_students` table.
pub async fn school_with_archive() -> (TestDatabase, Connection) {
    let (t, db) = school().await;
    let archive = strata::SchemaBuilder::new()
        .table::<ArchivedStudent>()
        .build()
        .unwrap();
    strata_testkit::create_schema(db.client(), &archive.schema).await;
    (t, db)
}

/// What [`seed`] inserted.
pub struct Seeded {
    pub alice: User,
    pub bob: User,
    pub admin: Role,
    pub teacher: Role,
    pub school: School,
    pub students: Vec<Student>,
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Two users, two roles (alice has both, bob one), a school and three students.
pub async fn seed(db: &Connection) -> Seeded {
    let alice = User::insert(
        NewUser::new("sub-alice", "alice@example.com")
            .first_name("Alice")
            .last_name("Smith"),
    )
    .returning_all()
    .one(db)
    .await
    .unwrap();
    let bob = User::insert(NewUser::new("sub-bob", "bob@school.org").first_name("Bob"))
        .returning_all()
        .one(db)
        .await
        .unwrap();
    let admin = Role::insert(NewRole::new("admin").is_system(true))
        .returning_all()
        .one(db)
        .await
        .unwrap();
    let teacher = Role::insert(NewRole::new("teacher").description("teaches"))
        .returning_all()
        .one(db)
        .await
        .unwrap();
    UserRole::insert_many(vec![
        NewUserRole::new(alice.id, admin.id),
        NewUserRole::new(alice.id, teacher.id),
        NewUserRole::new(bob.id, teacher.id),
    ])
    .execute(db)
    .await
    .unwrap();
    let school = School::insert(NewSchool::new("Lincoln").district("North"))
        .returning_all()
        .one(db)
        .await
        .unwrap();
    let students = Student::insert_many(vec![
        NewStudent::new("S001", "Ann", "Lee", GradeLevel::Fifth).school_id(school.id),
        NewStudent::new("S002", "Ben", "Kim", GradeLevel::Sixth).school_id(school.id),
        NewStudent::new("S003", "Cal", "Ng", GradeLevel::Fifth).status(StudentStatus::Inactive),
    ])
    .returning_all()
    .all(db)
    .await
    .unwrap();
    Seeded {
        alice,
        bob,
        admin,
        teacher,
        school,
        students,
    }
}

strata::cte! {
    /// Students of a school with their number of interventions.
    pub struct Busy as "busy" {
        STUDENT_ID: i32 = "student_id",
        FIRST_NAME: String = "first_name",
        INTERVENTIONS: i64 = "interventions",
    }
}

/// The students of `school` with their number of interventions.
pub fn busy_in(school: i32) -> Cte<Busy> {
    Cte::new(
        Student::select()
            .left_join::<Intervention>()
            .on(Intervention::STUDENT_ID.eq(Student::ID))
            .columns((Student::ID, Student::FIRST_NAME, count_of(Intervention::ID)))
            .filter(Student::SCHOOL_ID.eq(school))
            .group_by(Student::ID),
    )
}

/// Ann (student 0) gets two interventions, Ben (1) one, Cal (2) none.
pub async fn seed_interventions(db: &Connection, s: &Seeded) {
    for (student, kind) in [
        (0, InterventionType::Academic),
        (0, InterventionType::Behavioral),
        (1, InterventionType::Academic),
    ] {
        Intervention::insert(NewIntervention::new(
            s.students[student].id,
            kind,
            date(2024, 1, 1),
            s.alice.id,
        ))
        .execute(db)
        .await
        .unwrap();
    }
}

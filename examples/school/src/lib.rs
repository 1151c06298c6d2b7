//! The school schema of the Drizzle project we port (users, roles, schools,
//! students, interventions and their sessions), declared with Strata's
//! derives. `declared()` is what a `db` binary or `strata generate` takes.
//!
//! Drizzle's `serial('id').primaryKey()` is `#[strata(primary_key, serial)]`,
//! `varchar(..., { length: 255 })` is `sql_type = "varchar(255)"`,
//! `.defaultNow()` is `default_sql = "now()"`, `.references(() => users.id)`
//! is `references = User::ID` (checked by the compiler).

use chrono::{NaiveDate, NaiveDateTime};
use strata::{DeclaredSchema, PgEnum, SchemaBuilder, Table};

/// What kind of help a student gets.
#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterventionType {
    Academic,
    Behavioral,
    SocialEmotional,
    Attendance,
    Health,
    Other,
}

#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterventionStatus {
    Planned,
    InProgress,
    Completed,
    Discontinued,
    OnHold,
}

#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudentStatus {
    Active,
    Inactive,
    Transferred,
    Graduated,
}

/// Grade levels: labels are `k` and the grade numbers.
#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeLevel {
    #[strata(name = "k")]
    Kindergarten,
    #[strata(name = "1")]
    First,
    #[strata(name = "2")]
    Second,
    #[strata(name = "3")]
    Third,
    #[strata(name = "4")]
    Fourth,
    #[strata(name = "5")]
    Fifth,
    #[strata(name = "6")]
    Sixth,
}

/// People who sign in through Cognito.
#[derive(Table)]
#[strata(name = "users")]
#[strata(index(email, name = "users_email_idx"))]
#[strata(index(cognito_sub, name = "users_cognito_sub_idx", unique))]
pub struct User {
    #[strata(primary_key, serial)]
    pub id: i32,
    /// The Cognito subject: stable across email changes.
    #[strata(sql_type = "varchar(255)", unique)]
    pub cognito_sub: String,
    #[strata(sql_type = "varchar(255)")]
    pub email: String,
    #[strata(sql_type = "varchar(255)")]
    pub first_name: Option<String>,
    #[strata(sql_type = "varchar(255)")]
    pub last_name: Option<String>,
    #[strata(default_sql = "now()")]
    pub created_at: NaiveDateTime,
    #[strata(default_sql = "now()")]
    pub updated_at: NaiveDateTime,
    pub last_sign_in_at: Option<NaiveDateTime>,
}

#[derive(Table)]
#[strata(name = "roles")]
pub struct Role {
    #[strata(primary_key, serial)]
    pub id: i32,
    #[strata(sql_type = "varchar(100)")]
    pub name: String,
    pub description: Option<String>,
    #[strata(default = false)]
    pub is_system: bool,
    #[strata(default_sql = "now()")]
    pub created_at: NaiveDateTime,
}

#[derive(Table)]
#[strata(name = "user_roles", unique(user_id, role_id))]
pub struct UserRole {
    #[strata(primary_key, serial)]
    pub id: i32,
    #[strata(references = User::ID, on_delete = "cascade")]
    pub user_id: i32,
    #[strata(references = Role::ID, on_delete = "cascade")]
    pub role_id: i32,
    #[strata(default_sql = "now()")]
    pub created_at: NaiveDateTime,
    #[strata(default_sql = "now()")]
    pub updated_at: NaiveDateTime,
}

#[derive(Table)]
#[strata(name = "schools")]
pub struct School {
    #[strata(primary_key, serial)]
    pub id: i32,
    #[strata(sql_type = "varchar(255)", unique)]
    pub name: String,
    pub district: Option<String>,
    #[strata(default_sql = "now()")]
    pub created_at: NaiveDateTime,
}

#[derive(Table)]
#[strata(name = "students")]
#[strata(index(school_id, status, name = "students_school_status_idx"))]
#[strata(index(
    expression = "lower(last_name::text)",
    name = "students_last_name_lower_idx"
))]
pub struct Student {
    #[strata(primary_key, serial)]
    pub id: i32,
    /// Identifier in the student information system.
    #[strata(sql_type = "varchar(100)", unique)]
    pub sis_id: String,
    #[strata(sql_type = "varchar(255)")]
    pub first_name: String,
    #[strata(sql_type = "varchar(255)")]
    pub last_name: String,
    pub grade_level: GradeLevel,
    #[strata(default = StudentStatus::Active)]
    pub status: StudentStatus,
    #[strata(references = School::ID, on_delete = "set null")]
    pub school_id: Option<i32>,
    #[strata(default_sql = "now()")]
    pub created_at: NaiveDateTime,
}

/// A plan to help one student.
#[derive(Table)]
#[strata(name = "interventions")]
#[strata(check(
    name = "interventions_dates_check",
    expression = "end_date >= start_date"
))]
#[strata(index(
    student_id,
    name = "interventions_open_idx",
    predicate = "status <> 'completed'::public.intervention_status"
))]
pub struct Intervention {
    #[strata(primary_key, serial)]
    pub id: i32,
    #[strata(references = Student::ID, on_delete = "cascade")]
    pub student_id: i32,
    pub r#type: InterventionType,
    #[strata(default = InterventionStatus::Planned)]
    pub status: InterventionStatus,
    #[strata(sql_type = "varchar(255)")]
    pub title: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    #[strata(references = User::ID)]
    pub created_by: i32,
    #[strata(default_sql = "now()")]
    pub created_at: NaiveDateTime,
}

/// One meeting of an intervention.
#[derive(Table)]
#[strata(name = "intervention_sessions", row_level_security)]
#[strata(policy(
    name = "sessions_recorder",
    command = "select",
    using = "recorded_by = (current_setting('app.user_id'::text))::integer"
))]
pub struct InterventionSession {
    #[strata(primary_key, serial)]
    pub id: i32,
    #[strata(references = Intervention::ID, on_delete = "cascade")]
    pub intervention_id: i32,
    pub session_date: NaiveDate,
    pub progress_notes: Option<String>,
    #[strata(check = "duration_minutes > 0")]
    pub duration_minutes: Option<i32>,
    #[strata(references = User::ID)]
    pub recorded_by: i32,
    #[strata(default_sql = "now()")]
    pub created_at: NaiveDateTime,
}

/// The active students, as the server prints the view's query.
pub const ACTIVE_STUDENTS: &str = " SELECT students.id,
    students.sis_id,
    students.first_name,
    students.last_name
   FROM public.students
  WHERE students.status = 'active'::public.student_status;";

/// The whole school schema.
pub fn declared() -> Result<DeclaredSchema, strata::Error> {
    SchemaBuilder::new()
        .enum_type::<InterventionType>()
        .enum_type::<InterventionStatus>()
        .enum_type::<StudentStatus>()
        .enum_type::<GradeLevel>()
        .table::<User>()
        .table::<Role>()
        .table::<UserRole>()
        .table::<School>()
        .table::<Student>()
        .table::<Intervention>()
        .table::<InterventionSession>()
        .view(strata::view("public", "active_students", ACTIVE_STUDENTS))
        .build()
}

// Enum columns decode through their labels (query builder).
strata::from_label!(InterventionType: Academic, Behavioral, SocialEmotional, Attendance, Health, Other);
strata::from_label!(InterventionStatus: Planned, InProgress, Completed, Discontinued, OnHold);
strata::from_label!(StudentStatus: Active, Inactive, Transferred, Graduated);
strata::from_label!(GradeLevel: Kindergarten, First, Second, Third, Fourth, Fifth, Sixth);

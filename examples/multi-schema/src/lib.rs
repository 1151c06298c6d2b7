//! The multi-schema layout of the Drizzle project we port: survey
//! `questions.batteries` and `questions.questions`, and the people who
//! answer them in `users.*`. Each struct names its PostgreSQL schema with
//! `#[strata(schema = "...")]`; foreign keys cross schemas through the
//! referenced type, so they cannot point at the wrong one.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use strata::{DeclaredSchema, PgEnum, SchemaBuilder, Table};
use uuid::Uuid;

/// A battery of survey questions.
#[derive(Table)]
#[strata(schema = "questions", name = "batteries")]
pub struct Battery {
    #[strata(primary_key, serial)]
    pub id: i32,
    pub name: String,
    /// Names of the sub-batteries (a JSON array of strings).
    pub sub_batteries: Option<serde_json::Value>,
    pub prefix: String,
}

/// One question. Drizzle declares `battery_id` as `serial(...).references(...)`:
/// a serial column that is also a foreign key. It round-trips like any serial.
#[derive(Table)]
#[strata(schema = "questions", name = "questions")]
#[strata(unique(battery_id, variable_name))]
pub struct Question {
    #[strata(primary_key, serial)]
    pub id: i32,
    #[strata(serial, references = Battery::ID)]
    pub battery_id: i32,
    pub variable_name: String,
    pub question_text: String,
    pub short_text: String,
    pub category: String,
}

#[derive(PgEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[strata(schema = "users", name = "account_role")]
pub enum AccountRole {
    Admin,
    Analyst,
    Viewer,
}

/// Someone who answers or analyses surveys.
#[derive(Table)]
#[strata(schema = "users", name = "accounts")]
pub struct Account {
    #[strata(primary_key, default_sql = "gen_random_uuid()")]
    pub id: Uuid,
    /// Case-insensitive: `citext` from the extension of that name.
    #[strata(sql_type = "public.citext", unique)]
    pub email: String,
    #[strata(sql_type = "varchar(100)")]
    pub display_name: Option<String>,
    #[strata(default = AccountRole::Viewer)]
    pub role: AccountRole,
    #[strata(sql_type = "numeric(12,2)", default = 0)]
    pub credit: Decimal,
    #[strata(default_sql = "'{}'::jsonb")]
    pub settings: serde_json::Value,
    pub birthday: Option<time::Date>,
    pub last_seen_at: Option<time::OffsetDateTime>,
    #[strata(default_sql = "now()")]
    pub created_at: DateTime<Utc>,
}

/// One account's answer to one question: the key is the pair.
#[derive(Table)]
#[strata(
    schema = "users",
    name = "responses",
    primary_key(account_id, question_id)
)]
#[strata(index(question_id, answered_at, name = "responses_question_idx"))]
pub struct Response {
    #[strata(references = Account::ID, on_delete = "cascade")]
    pub account_id: Uuid,
    #[strata(references = Question::ID, on_delete = "restrict")]
    pub question_id: i32,
    pub answer: serde_json::Value,
    #[strata(default_sql = "now()")]
    pub answered_at: DateTime<Utc>,
}

/// The whole layout: two schemas, and `citext` for the emails.
pub fn declared() -> Result<DeclaredSchema, strata::Error> {
    SchemaBuilder::new()
        .extension(
            "citext",
            "public",
            Some("data type for case-insensitive character strings"),
        )
        .table::<Battery>()
        .table::<Question>()
        .enum_type::<AccountRole>()
        .table::<Account>()
        .table::<Response>()
        .build()
}

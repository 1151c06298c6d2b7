use strata::PgEnum;

#[derive(PgEnum)]
enum Status {
    Active,
    Suspended(String),
}

fn main() {}

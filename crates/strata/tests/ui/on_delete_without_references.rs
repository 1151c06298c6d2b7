use strata::Table;

#[derive(Table)]
struct Post {
    #[strata(on_delete = "cascade")]
    author: i32,
}

fn main() {}

use strata_example_school::NewRole;

fn main() {
    let _ = NewRole {
        id: None,
        description: None,
        is_system: None,
        created_at: None,
    };
}

//! Pure tests of the differ: no server. They pin the rules the rest of the
//! product relies on: `diff(B, B)` is empty, renames come only from hints,
//! changes run in dependency order, and risky changes are classified.

use strata_schema::*;

fn col(name: &str, ty: &str) -> Column {
    Column {
        name: name.into(),
        data_type: ty.into(),
        not_null: false,
        default: None,
        identity: None,
        generated: None,
        collation: None,
        comment: None,
        grants: vec![],
    }
}

fn qn(name: &str) -> QualifiedName {
    QualifiedName::parse(name)
}

fn table(name: &str, cols: Vec<Column>) -> Table {
    Table::new(qn(name), cols)
}

fn pk(name: &str, cols: &[&str]) -> PrimaryKey {
    PrimaryKey {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        include: vec![],
        deferrable: Deferrable::NotDeferrable,
        comment: None,
    }
}

fn fk(name: &str, cols: &[&str], references: &str, ref_cols: &[&str]) -> ForeignKey {
    ForeignKey {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        references: qn(references),
        referenced_columns: ref_cols.iter().map(|c| c.to_string()).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        match_full: false,
        deferrable: Deferrable::NotDeferrable,
        not_valid: false,
        comment: None,
    }
}

fn view(name: &str, def: &str) -> View {
    View {
        name: qn(name),
        definition: def.into(),
        materialized: false,
        with_no_data: false,
        with: vec![],
        indexes: vec![],
        column_comments: vec![],
        comment: None,
        grants: vec![],
    }
}

fn mood(labels: &[&str]) -> EnumType {
    EnumType {
        name: qn("public.mood"),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        comment: None,
    }
}

fn schema(tables: Vec<Table>) -> Schema {
    let mut s = Schema {
        namespaces: vec![Namespace {
            name: "public".into(),
            comment: None,
            grants: vec![],
        }],
        tables,
        ..Schema::default()
    };
    s.normalize();
    s
}

fn no_hints() -> RenameHints {
    RenameHints::default()
}

fn hints(list: &[&str]) -> RenameHints {
    RenameHints::new(list.iter().map(|h| RenameHint::parse(h).unwrap()).collect())
}

fn changes(from: &Schema, to: &Schema, h: &RenameHints) -> Vec<Change> {
    diff(from, to, h)
        .unwrap()
        .into_iter()
        .map(|p| p.change)
        .collect()
}

/// A schema with a bit of everything, for the `diff(B, B)` check.
fn rich() -> Schema {
    let mut users = table("public.users", {
        let mut id = col("id", "bigint");
        id.not_null = true;
        id.identity = Some(Identity {
            always: true,
            sequence: SequenceOptions {
                start: 1,
                increment: 1,
                min_value: 1,
                max_value: i64::MAX,
                cache: 1,
                cycle: false,
            },
        });
        let mut m = col("mood", "public.mood");
        m.default = Some("'ok'::public.mood".into());
        let mut g = col("email_lower", "text");
        g.generated = Some("lower(email)".into());
        vec![id, col("email", "text"), m, g]
    });
    users.primary_key = Some(pk("users_pkey", &["id"]));
    users.comment = Some("people".into());
    users.grants.push(Grant {
        grantee: "PUBLIC".into(),
        privilege: "SELECT".into(),
        with_grant_option: false,
    });
    users.indexes.push(Index {
        name: "users_email_idx".into(),
        unique: false,
        method: "btree".into(),
        keys: vec![IndexKey {
            expression: "lower(email)".into(),
            is_column: false,
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }],
        include: vec![],
        predicate: Some("(email IS NOT NULL)".into()),
        nulls_not_distinct: false,
        with: vec![],
        comment: None,
    });
    users.rls_enabled = true;
    users.policies.push(Policy {
        name: "own".into(),
        command: "SELECT".into(),
        permissive: true,
        roles: vec!["public".into()],
        using: Some("true".into()),
        with_check: None,
        comment: None,
    });
    let mut posts = table(
        "public.posts",
        vec![col("id", "bigint"), col("user_id", "bigint")],
    );
    posts.primary_key = Some(pk("posts_pkey", &["id"]));
    posts
        .foreign_keys
        .push(fk("posts_user_fk", &["user_id"], "public.users", &["id"]));
    let mut s = schema(vec![users, posts]);
    s.enums.push(mood(&["sad", "ok", "happy"]));
    s.views
        .push(view("public.v", " SELECT users.id FROM public.users"));
    s.functions.push(Function {
        name: qn("public.f"),
        arguments: "a integer".into(),
        kind: "function".into(),
        definition: "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$select a$function$\n".into(),
        returns: Some("integer".into()),
        comment: None,
        grants: vec![],
    });
    s.normalize();
    s
}

#[test]
fn diff_of_a_schema_with_itself_is_empty() {
    let s = rich();
    assert!(changes(&s, &s, &no_hints()).is_empty());
    assert!(changes(&Schema::default(), &Schema::default(), &no_hints()).is_empty());
    // Column order does not matter.
    let mut shuffled = s.clone();
    shuffled.tables[0].columns.reverse();
    assert!(changes(&s, &shuffled, &no_hints()).is_empty());
}

#[test]
fn full_create_and_full_drop() {
    let s = rich();
    let up = changes(&Schema::default(), &s, &no_hints());
    assert!(up.iter().any(|c| matches!(c, Change::CreateTable { .. })));
    let down = changes(&s, &Schema::default(), &no_hints());
    assert!(down.iter().any(|c| matches!(c, Change::DropTable { .. })));
    // Tables are created before foreign keys, and enums before tables.
    let pos = |v: &[Change], f: &dyn Fn(&Change) -> bool| v.iter().position(f).unwrap();
    let enum_at = pos(&up, &|c| matches!(c, Change::CreateEnum { .. }));
    let table_at = pos(&up, &|c| matches!(c, Change::CreateTable { .. }));
    let fk_at = pos(&up, &|c| matches!(c, Change::AddForeignKey { .. }));
    let view_at = pos(&up, &|c| matches!(c, Change::CreateView { .. }));
    assert!(enum_at < table_at && table_at < fk_at && fk_at < view_at);
    // Dropping: views, then foreign keys, then tables, then types.
    let view_at = pos(&down, &|c| matches!(c, Change::DropView { .. }));
    let fk_at = pos(&down, &|c| matches!(c, Change::DropConstraint { .. }));
    let table_at = pos(&down, &|c| matches!(c, Change::DropTable { .. }));
    let enum_at = pos(&down, &|c| matches!(c, Change::DropEnum { .. }));
    assert!(view_at < fk_at && fk_at < table_at && table_at < enum_at);
}

#[test]
fn renames_only_from_hints() {
    let from = schema(vec![table(
        "public.users",
        vec![col("id", "integer"), col("full_name", "text")],
    )]);
    let to = schema(vec![table(
        "public.users",
        vec![col("id", "integer"), col("name", "text")],
    )]);
    let guessed = changes(&from, &to, &no_hints());
    assert!(guessed
        .iter()
        .any(|c| matches!(c, Change::DropColumn { column, .. } if column == "full_name")));
    assert!(guessed
        .iter()
        .any(|c| matches!(c, Change::AddColumn { column, .. } if column.name == "name")));
    assert!(!guessed
        .iter()
        .any(|c| matches!(c, Change::RenameColumn { .. })));

    let renamed = changes(&from, &to, &hints(&["column:public.users.full_name=name"]));
    assert_eq!(
        renamed,
        vec![Change::RenameColumn {
            table: qn("public.users"),
            from: "full_name".into(),
            to: "name".into()
        }]
    );
}

#[test]
fn table_and_column_rename_together() {
    let mut from_t = table(
        "public.people",
        vec![col("id", "integer"), col("full_name", "text")],
    );
    from_t.primary_key = Some(pk("people_pkey", &["id"]));
    let mut to_t = table(
        "public.users",
        vec![col("id", "integer"), col("name", "text")],
    );
    to_t.primary_key = Some(pk("people_pkey", &["id"]));
    let mut child_from = table("public.posts", vec![col("author", "integer")]);
    child_from
        .foreign_keys
        .push(fk("posts_author_fk", &["author"], "public.people", &["id"]));
    let mut child_to = table("public.posts", vec![col("author", "integer")]);
    child_to
        .foreign_keys
        .push(fk("posts_author_fk", &["author"], "public.users", &["id"]));
    let mut from = schema(vec![from_t, child_from]);
    from.views.push(view(
        "public.names",
        " SELECT people.full_name FROM public.people",
    ));
    let to = schema(vec![to_t, child_to]);
    let h = hints(&[
        "table:public.people=users",
        "column:public.people.full_name=name",
    ]);
    let got = changes(&from, &to, &h);
    // Column renamed first (its path uses the old table name), then the table;
    // the view is dropped (it is gone in `to`), nothing else.
    assert_eq!(
        got[0],
        Change::RenameColumn {
            table: qn("public.people"),
            from: "full_name".into(),
            to: "name".into()
        }
    );
    assert_eq!(
        got[1],
        Change::RenameTable {
            from: qn("public.people"),
            to: "users".into()
        }
    );
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(matches!(&got[2], Change::DropView { name, .. } if name == &qn("public.names")));
    // And back.
    let back = changes(&to, &from, &h.reversed());
    assert!(back.iter().any(|c| matches!(c, Change::RenameTable { from, to } if from == &qn("public.users") && to == "people")));
    assert!(back.iter().any(|c| matches!(c, Change::RenameColumn { table, from, to } if table == &qn("public.users") && from == "name" && to == "full_name")));
}

#[test]
fn unknown_rename_target_is_an_error() {
    let s = schema(vec![table("public.users", vec![col("id", "integer")])]);
    for h in [
        "table:public.nope=x",
        "column:public.users.nope=x",
        "enum:public.nope=x",
        "enum_value:public.mood.nope=x",
        "index:public.nope=x",
        "constraint:public.users.nope=x",
        "view:public.nope=x",
        "schema:nope=x",
    ] {
        let err = diff(&s, &s, &hints(&[h])).unwrap_err();
        assert!(matches!(err, DiffError::UnknownRenameTarget { .. }), "{h}");
    }
}

#[test]
fn type_change_uses_a_cast_and_moves_the_default() {
    let mut a = col("n", "integer");
    a.default = Some("0".into());
    let mut b = col("n", "bigint");
    b.default = Some("'0'::bigint".into());
    let from = schema(vec![table("public.t", vec![a])]);
    let to = schema(vec![table("public.t", vec![b])]);
    let got = diff(&from, &to, &no_hints()).unwrap();
    let kinds: Vec<&Change> = got.iter().map(|p| &p.change).collect();
    assert!(matches!(kinds[0], Change::DropDefault { .. }));
    assert!(
        matches!(kinds[1], Change::AlterColumnType { data_type, using_via: None, .. } if data_type == "bigint")
    );
    assert!(matches!(kinds[2], Change::SetDefault { default, .. } if default == "'0'::bigint"));
    assert!(got[1].classification.rewrites_table.is_some());
    assert!(!got[1].classification.is_destructive());

    // Narrowing is destructive.
    let from = schema(vec![table(
        "public.t",
        vec![col("s", "character varying(20)")],
    )]);
    let to = schema(vec![table(
        "public.t",
        vec![col("s", "character varying(10)")],
    )]);
    let got = diff(&from, &to, &no_hints()).unwrap();
    assert!(got[0].classification.is_destructive());
    let msg = got[0].classification.destructive.as_deref().unwrap();
    assert!(msg.contains("public.t.s"), "{msg}");
}

#[test]
fn text_to_enum_and_enum_to_enum_go_through_casts() {
    let mut from = schema(vec![table(
        "public.t",
        vec![col("a", "text"), col("b", "public.mood")],
    )]);
    from.enums.push(mood(&["x"]));
    from.enums.push(EnumType {
        name: qn("public.mood2"),
        labels: vec!["x".into()],
        comment: None,
    });
    let mut to = schema(vec![table(
        "public.t",
        vec![col("a", "public.mood"), col("b", "public.mood2")],
    )]);
    to.enums = from.enums.clone();
    let got = changes(&from, &to, &no_hints());
    assert!(got.iter().any(
        |c| matches!(c, Change::AlterColumnType { column, using_via: None, .. } if column == "a")
    ));
    assert!(got.iter().any(|c| matches!(c, Change::AlterColumnType { column, using_via: Some(v), .. } if column == "b" && v == "text")));
}

#[test]
fn enum_values_added_in_place() {
    let mut from = schema(vec![]);
    from.enums.push(mood(&["sad", "happy"]));
    let mut to = schema(vec![]);
    to.enums
        .push(mood(&["meh", "sad", "ok", "happy", "ecstatic"]));
    let got = diff(&from, &to, &no_hints()).unwrap();
    let adds: Vec<(String, Option<String>, Option<String>)> = got
        .iter()
        .map(|p| match &p.change {
            Change::AddEnumValue {
                value,
                before,
                after,
                ..
            } => (value.clone(), before.clone(), after.clone()),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        adds,
        vec![
            ("meh".into(), Some("sad".into()), None),
            ("ok".into(), None, Some("sad".into())),
            ("ecstatic".into(), None, Some("happy".into())),
        ]
    );
    assert!(got.iter().all(|p| p.classification.is_non_transactional()));
}

#[test]
fn enum_value_rename_only_with_hint_and_removal_recreates() {
    let t = || {
        let mut c = col("m", "public.mood");
        c.default = Some("'sad'::public.mood".into());
        schema(vec![table("public.t", vec![c])])
    };
    let mut from = t();
    from.enums.push(mood(&["sad", "glad"]));
    let mut to = t();
    to.enums.push(mood(&["sad", "happy"]));
    // Without a hint: 'glad' removed, 'happy' added -> rebuild, destructive.
    let got = diff(&from, &to, &no_hints()).unwrap();
    assert_eq!(got.len(), 1, "{got:#?}");
    let Change::RecreateEnum {
        removed, columns, ..
    } = &got[0].change
    else {
        panic!("{got:?}")
    };
    assert_eq!(removed, &["glad".to_string()]);
    assert_eq!(columns.len(), 1);
    assert_eq!(columns[0].default.as_deref(), Some("'sad'::public.mood"));
    assert!(got[0]
        .classification
        .destructive
        .as_deref()
        .unwrap()
        .contains("public.t.m"));
    // With a hint: a rename.
    let got = changes(&from, &to, &hints(&["enum_value:public.mood.glad=happy"]));
    assert_eq!(
        got,
        vec![Change::RenameEnumValue {
            name: qn("public.mood"),
            from: "glad".into(),
            to: "happy".into()
        }]
    );
}

#[test]
fn view_on_changed_column_is_dropped_and_recreated_around_it() {
    let from_t = table("public.t", vec![col("a", "integer")]);
    let to_t = table("public.t", vec![col("a", "bigint")]);
    let mut from = schema(vec![from_t]);
    let mut to = schema(vec![to_t]);
    let v = view("public.v", " SELECT t.a FROM public.t");
    let w = view("public.w", " SELECT v.a FROM public.v");
    from.views = vec![v.clone(), w.clone()];
    to.views = vec![v, w];
    let got = changes(&from, &to, &no_hints());
    let names: Vec<String> = got
        .iter()
        .map(|c| match c {
            Change::DropView { name, .. } => format!("drop {}", name.name),
            Change::CreateView { view } => format!("create {}", view.name.name),
            Change::AlterColumnType { .. } => "alter".into(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(names, ["drop w", "drop v", "alter", "create v", "create w"]);
}

#[test]
fn pk_change_drops_and_readds_referencing_fks() {
    let mut parent_a = table("public.p", vec![col("id", "integer"), col("code", "text")]);
    parent_a.primary_key = Some(pk("p_pkey", &["id"]));
    let mut parent_b = parent_a.clone();
    parent_b.primary_key = Some(pk("p_pkey", &["id", "code"]));
    // FK referencing a unique on (id) would be unaffected; this one references the PK.
    let mut child = table("public.c", vec![col("pid", "integer")]);
    child
        .foreign_keys
        .push(fk("c_pid_fk", &["pid"], "public.p", &["id"]));
    let mut child_b = child.clone();
    child_b.foreign_keys[0] = fk("c_pid_fk", &["pid"], "public.p", &["id"]);
    let from = schema(vec![parent_a, child.clone()]);
    let mut parent_b2 = parent_b.clone();
    parent_b2.uniques.push(UniqueConstraint {
        name: "p_id_key".into(),
        columns: vec!["id".into()],
        include: vec![],
        nulls_not_distinct: false,
        deferrable: Deferrable::NotDeferrable,
        comment: None,
    });
    let to = schema(vec![parent_b2, child_b]);
    let got = changes(&from, &to, &no_hints());
    let order: Vec<String> = got
        .iter()
        .map(|c| match c {
            Change::DropConstraint { name, .. } => format!("drop {name}"),
            Change::AddPrimaryKey { primary_key, .. } => format!("add {}", primary_key.name),
            Change::AddUnique { unique, .. } => format!("add {}", unique.name),
            Change::AddForeignKey { foreign_key, .. } => format!("add {}", foreign_key.name),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        order,
        [
            "drop c_pid_fk",
            "drop p_pkey",
            "add p_pkey",
            "add p_id_key",
            "add c_pid_fk"
        ]
    );
}

#[test]
fn fk_cycle_is_created_after_both_tables() {
    let mut a = table(
        "public.a",
        vec![col("id", "integer"), col("b_id", "integer")],
    );
    a.primary_key = Some(pk("a_pkey", &["id"]));
    a.foreign_keys
        .push(fk("a_b_fk", &["b_id"], "public.b", &["id"]));
    let mut b = table(
        "public.b",
        vec![col("id", "integer"), col("a_id", "integer")],
    );
    b.primary_key = Some(pk("b_pkey", &["id"]));
    b.foreign_keys
        .push(fk("b_a_fk", &["a_id"], "public.a", &["id"]));
    let to = schema(vec![a, b]);
    let got = changes(&schema(vec![]), &to, &no_hints());
    let last_table = got
        .iter()
        .rposition(|c| matches!(c, Change::CreateTable { .. }))
        .unwrap();
    let first_fk = got
        .iter()
        .position(|c| matches!(c, Change::AddForeignKey { .. }))
        .unwrap();
    assert!(last_table < first_fk);
    let back = changes(&to, &schema(vec![]), &no_hints());
    let last_fk = back
        .iter()
        .rposition(|c| matches!(c, Change::DropConstraint { .. }))
        .unwrap();
    let first_table = back
        .iter()
        .position(|c| matches!(c, Change::DropTable { .. }))
        .unwrap();
    assert!(last_fk < first_table);
}

#[test]
fn generated_expression_change_is_drop_and_add() {
    let mut a = col("g", "integer");
    a.generated = Some("(x * 2)".into());
    let mut b = a.clone();
    b.generated = Some("(x * 3)".into());
    let from = schema(vec![table("public.t", vec![col("x", "integer"), a])]);
    let to = schema(vec![table("public.t", vec![col("x", "integer"), b])]);
    let got = changes(&from, &to, &no_hints());
    assert!(matches!(&got[0], Change::DropColumn { column, .. } if column == "g"));
    assert!(matches!(&got[1], Change::AddColumn { column, .. } if column.name == "g"));
}

#[test]
fn classification_names_the_object() {
    let from = schema(vec![
        table("public.gone", vec![col("id", "integer")]),
        table(
            "public.t",
            vec![col("id", "integer"), col("age", "integer")],
        ),
    ]);
    let mut t = table("public.t", vec![col("id", "integer")]);
    t.indexes.push(Index {
        name: "t_id_idx".into(),
        unique: false,
        method: "btree".into(),
        keys: vec![IndexKey {
            expression: "id".into(),
            is_column: true,
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }],
        include: vec![],
        predicate: None,
        nulls_not_distinct: false,
        with: vec![],
        comment: None,
    });
    let to = schema(vec![t]);
    let got = diff(&from, &to, &no_hints()).unwrap();
    let find = |f: &dyn Fn(&Change) -> bool| {
        got.iter()
            .find(|p| f(&p.change))
            .unwrap()
            .classification
            .clone()
    };
    let drop_col = find(&|c| matches!(c, Change::DropColumn { .. }));
    assert_eq!(
        drop_col.destructive.as_deref(),
        Some("drops column public.t.age and its data")
    );
    let drop_table = find(&|c| matches!(c, Change::DropTable { .. }));
    assert!(drop_table.destructive.unwrap().contains("public.gone"));
    let index = find(&|c| matches!(c, Change::CreateIndex { .. }));
    assert!(index.strong_lock.unwrap().contains("CONCURRENTLY"));
    // JSON form for `strata diff --format json`.
    let json = serde_json::to_string(&got).unwrap();
    assert!(json.contains("\"kind\":\"drop_column\""), "{json}");
}

#[test]
fn domains_are_created_in_dependency_order_and_dropped_in_reverse() {
    let domain = |name: &str, ty: &str| Domain {
        name: qn(name),
        data_type: ty.into(),
        not_null: false,
        default: None,
        collation: None,
        checks: vec![],
        comment: None,
    };
    let mut s = schema(vec![]);
    // `a_outer` sorts before `z_base` but is built on it.
    s.domains = vec![
        domain("public.a_outer", "public.z_base"),
        domain("public.z_base", "text"),
    ];
    let empty = schema(vec![]);
    let up = changes(&empty, &s, &no_hints());
    let names: Vec<String> = up
        .iter()
        .map(|c| match c {
            Change::CreateDomain { domain } => domain.name.name.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(names, ["z_base", "a_outer"]);
    let down = changes(&s, &empty, &no_hints());
    let names: Vec<String> = down
        .iter()
        .map(|c| match c {
            Change::DropDomain { name } => name.name.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(names, ["a_outer", "z_base"]);
}

#[test]
fn partitions_after_parents_and_dropped_before_them() {
    let mut parent = table("public.events", vec![col("at", "date")]);
    parent.partition_by = Some("RANGE (at)".into());
    let mut part = table("public.a_events_2024", vec![col("at", "date")]);
    part.partition_of = Some(PartitionOf {
        parent: qn("public.events"),
        bound: "DEFAULT".into(),
    });
    let s = schema(vec![parent, part]);
    let empty = schema(vec![]);
    let up = changes(&empty, &s, &no_hints());
    assert!(matches!(&up[0], Change::CreateTable { table } if table.name.name == "events"));
    assert!(matches!(&up[1], Change::CreateTable { table } if table.name.name == "a_events_2024"));
    let down = changes(&s, &empty, &no_hints());
    assert!(matches!(&down[0], Change::DropTable { name } if name.name == "a_events_2024"));
}

#[test]
fn reversed_hints_follow_schema_and_enum_renames() {
    let h = hints(&[
        "schema:old=new",
        "enum:old.mood=feeling",
        "enum_value:old.mood.a=b",
    ]);
    let back: Vec<String> = h.reversed().hints.iter().map(|h| h.to_string()).collect();
    assert_eq!(
        back,
        [
            "schema:new=old",
            "enum:new.feeling=mood",
            "enum_value:new.feeling.b=a"
        ]
    );
}

#[test]
fn owned_sequence_is_released_before_its_column_is_dropped() {
    let seq = |owned: bool| Sequence {
        name: qn("public.t_n_seq"),
        data_type: "bigint".into(),
        options: SequenceOptions {
            start: 1,
            increment: 1,
            min_value: 1,
            max_value: i64::MAX,
            cache: 1,
            cycle: false,
        },
        owned_by: owned.then(|| OwnedBy {
            table: qn("public.t"),
            column: "n".into(),
        }),
        comment: None,
        grants: vec![],
    };
    let mut from = schema(vec![table(
        "public.t",
        vec![col("id", "integer"), col("n", "bigint")],
    )]);
    from.sequences.push(seq(true));
    let mut to = schema(vec![table("public.t", vec![col("id", "integer")])]);
    to.sequences.push(seq(false));
    let got = changes(&from, &to, &no_hints());
    assert!(
        matches!(&got[0], Change::SetSequenceOwner { owned_by: None, .. }),
        "{got:#?}"
    );
    assert!(matches!(&got[1], Change::DropColumn { .. }));
    assert_eq!(got.len(), 2);
}

#[test]
fn not_null_column_without_default_is_flagged_before_it_fails() {
    let from = schema(vec![table("public.t", vec![col("id", "integer")])]);
    let required = Column {
        not_null: true,
        ..col("email", "text")
    };
    let with_default = Column {
        not_null: true,
        default: Some("''::text".into()),
        ..col("name", "text")
    };
    let nullable = col("note", "text");
    let to = schema(vec![table(
        "public.t",
        vec![col("id", "integer"), required, with_default, nullable],
    )]);
    let got = diff(&from, &to, &no_hints()).unwrap();
    let class_of = |name: &str| {
        got.iter()
            .find(|p| matches!(&p.change, Change::AddColumn { column, .. } if column.name == name))
            .unwrap()
            .classification
            .clone()
    };
    let why = class_of("email").destructive.unwrap();
    assert!(
        why.contains("public.t.email") && why.contains("has rows"),
        "{why}"
    );
    assert!(class_of("name").is_safe());
    assert!(class_of("note").is_safe());
}

#[test]
fn lookups_work_on_unsorted_lists() {
    // The differ normalizes, but `Schema::table` is public: an unsorted
    // schema built by hand must still find every table.
    let s = Schema {
        tables: vec![
            table("public.zeta", vec![]),
            table("public.alpha", vec![]),
            table("public.mid", vec![]),
        ],
        ..Schema::default()
    };
    for name in ["public.zeta", "public.alpha", "public.mid"] {
        assert_eq!(s.table(&qn(name)).unwrap().name, qn(name));
    }
    assert!(s.table(&qn("public.none")).is_none());
}

/// The `public` schema's stock grants differ by server version (PUBLIC has
/// CREATE there before PostgreSQL 15): one is never changed into the other,
/// while any other grant on it is still planned.
#[test]
fn stock_public_schema_grants_of_any_version_are_the_same() {
    let public = |grants: &[(&str, &str)]| Schema {
        namespaces: vec![Namespace {
            name: "public".into(),
            comment: None,
            grants: grants
                .iter()
                .map(|(grantee, privilege)| Grant {
                    grantee: grantee.to_string(),
                    privilege: privilege.to_string(),
                    with_grant_option: false,
                })
                .collect(),
        }],
        ..Schema::default()
    };
    let v14 = public(&[("PUBLIC", "CREATE"), ("PUBLIC", "USAGE")]);
    let v15 = public(&[("PUBLIC", "USAGE")]);
    assert_eq!(changes(&v14, &v15, &no_hints()), vec![]);
    assert_eq!(changes(&v15, &v14, &no_hints()), vec![]);
    assert!(v14.same_as(&v15));

    let with_reader = public(&[("PUBLIC", "USAGE"), ("reader", "CREATE")]);
    assert_eq!(
        changes(&v14, &with_reader, &no_hints()).len(),
        2,
        "revoke CREATE from PUBLIC, grant it to reader"
    );
    assert!(!v14.same_as(&with_reader));
    let closed = public(&[]);
    assert_eq!(changes(&v15, &closed, &no_hints()).len(), 1, "revoke USAGE");
}

//! The schema model (IR): plain data, one file per object kind.

pub mod column;
pub mod constraint;
pub mod function;
pub mod index;
pub mod name;
pub mod namespace;
pub mod policy;
pub mod privilege;
pub mod schema;
pub mod sequence;
pub mod table;
pub mod trigger;
pub mod types;
pub mod unsupported;
pub mod view;

pub use column::{Column, Identity, SequenceOptions};
pub use constraint::{
    CheckConstraint, Deferrable, ExclusionConstraint, FkAction, ForeignKey, PrimaryKey,
    UniqueConstraint,
};
pub use function::Function;
pub use index::{Index, IndexKey};
pub use name::QualifiedName;
pub use namespace::{Extension, Namespace};
pub use policy::Policy;
pub use privilege::Grant;
pub use schema::Schema;
pub use sequence::{OwnedBy, Sequence};
pub use table::{PartitionOf, Table};
pub use trigger::Trigger;
pub use types::{CompositeAttribute, CompositeType, Domain, EnumType};
pub use unsupported::Unsupported;
pub use view::View;

//! One index of progenitor's output: where each module, builder, client method and type is.
//!
//! Every rewrite finds its anchors through [`Progenitor`], by name, and gets `None` when an
//! anchor is absent; the pass then fails with the operation or type named ([`Missing`]). Names
//! come from the model, never from progenitor's doc text, and types are inspected as syntax
//! trees ([`syntax`]), never compared as strings.

use std::collections::HashMap;

use syn::{ImplItem, ImplItemFn, Item, ItemEnum, ItemStruct};

use crate::error::SpecProblem;
use crate::model::Operation;

/// progenitor's output with an index of its items. Positions are rebuilt by [`Self::reindex`]
/// after a pass adds or removes items.
pub struct Progenitor {
    /// The output itself, rewritten in place by the passes.
    pub file: syn::File,
    index: Index,
}

#[derive(Default)]
struct Index {
    /// Top-level `mod types`, `mod builder`, `mod prelude`.
    modules: HashMap<String, usize>,
    /// Inherent `impl Client` blocks and the method positions inside them.
    client_methods: HashMap<String, (usize, usize)>,
    /// In `mod builder`: struct and inherent impl of each operation builder.
    builders: HashMap<String, Parts>,
    /// In `mod types`: each struct or enum and its impls.
    types: HashMap<String, Parts>,
    /// In `mod types::builder`: typify's builder of each struct.
    type_builders: HashMap<String, Parts>,
    /// Position of `mod builder` inside `mod types`.
    types_builder_module: Option<usize>,
}

/// A named item and its impl blocks, by position in their module.
#[derive(Default, Clone)]
struct Parts {
    definition: Option<usize>,
    inherent_impls: Vec<usize>,
    trait_impls: Vec<(String, usize)>,
}

/// An anchor a pass needs is absent from progenitor's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// The pass that looked, e.g. `route_requests`.
    pub pass: &'static str,
    /// What it was looking for, e.g. `operation ListServers` or `type Server`.
    pub subject: String,
    /// JSON pointer of the subject in the spec, when known.
    pub pointer: String,
    /// The anchor, e.g. "builder `ListServers` has no `send` method".
    pub anchor: String,
}

impl Missing {
    /// An anchor of `op` is missing.
    pub fn operation(pass: &'static str, op: &Operation, anchor: impl Into<String>) -> Missing {
        Missing {
            pass,
            subject: format!("operation {}", op.operation_id),
            pointer: op.pointer.clone(),
            anchor: anchor.into(),
        }
    }

    /// An anchor of a generated type is missing.
    pub fn type_(pass: &'static str, name: &str, anchor: impl Into<String>) -> Missing {
        Missing {
            pass,
            subject: format!("type {name}"),
            pointer: String::new(),
            anchor: anchor.into(),
        }
    }
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {} in progenitor's output",
            self.pass, self.subject, self.anchor
        )
    }
}

impl From<Missing> for SpecProblem {
    fn from(missing: Missing) -> SpecProblem {
        SpecProblem::new(missing.pointer.clone(), missing.to_string())
    }
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn index_items(items: &[Item]) -> HashMap<String, Parts> {
    let mut out: HashMap<String, Parts> = HashMap::new();
    for (position, item) in items.iter().enumerate() {
        match item {
            Item::Struct(s) => {
                out.entry(s.ident.to_string()).or_default().definition = Some(position)
            }
            Item::Enum(e) => {
                out.entry(e.ident.to_string()).or_default().definition = Some(position)
            }
            Item::Impl(imp) => {
                let Some(name) = type_name(&imp.self_ty) else {
                    continue;
                };
                let parts = out.entry(name).or_default();
                match &imp.trait_ {
                    None => parts.inherent_impls.push(position),
                    Some((_, path, _)) => {
                        if let Some(last) = path.segments.last() {
                            parts.trait_impls.push((last.ident.to_string(), position));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn module_items(items: &[Item], position: usize) -> &[Item] {
    match &items[position] {
        Item::Mod(m) => m
            .content
            .as_ref()
            .map(|(_, items)| items.as_slice())
            .unwrap_or(&[]),
        _ => &[],
    }
}

fn module_items_mut(items: &mut [Item], position: usize) -> &mut Vec<Item> {
    match &mut items[position] {
        Item::Mod(m) => &mut m.content.as_mut().expect("indexed modules are inline").1,
        _ => unreachable!("indexed position is a module"),
    }
}

/// Method `method` of the inherent impls in `parts`.
fn fn_in_impls_mut<'a>(
    items: &'a mut [Item],
    parts: &Parts,
    method: &str,
) -> Option<&'a mut ImplItemFn> {
    // Positions first: a borrow returned from inside a search loop would outlive the loop.
    let (at, inner) = parts.inherent_impls.iter().find_map(|&p| match &items[p] {
        Item::Impl(imp) => imp
            .items
            .iter()
            .position(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == method))
            .map(|inner| (p, inner)),
        _ => None,
    })?;
    match &mut items[at] {
        Item::Impl(imp) => match &mut imp.items[inner] {
            ImplItem::Fn(f) => Some(f),
            _ => None,
        },
        _ => None,
    }
}

/// The names `parts` has a definition (struct or enum) for, sorted.
fn defined_names(parts: &HashMap<String, Parts>) -> Vec<String> {
    let mut names: Vec<String> = parts
        .iter()
        .filter_map(|(n, p)| p.definition.map(|_| n.clone()))
        .collect();
    names.sort();
    names
}

/// Method `method` of the impl of trait `trait_name` among `parts`.
fn trait_fn_in_impls_mut<'a>(
    items: &'a mut [Item],
    parts: &Parts,
    trait_name: &str,
    method: &str,
) -> Option<&'a mut ImplItemFn> {
    let at = parts
        .trait_impls
        .iter()
        .find(|(t, _)| t == trait_name)
        .map(|(_, p)| *p)?;
    match &mut items[at] {
        Item::Impl(imp) => imp.items.iter_mut().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == method => Some(f),
            _ => None,
        }),
        _ => None,
    }
}

impl Progenitor {
    /// Parses progenitor's tokens and indexes them.
    pub fn new(file: syn::File) -> Progenitor {
        let mut out = Progenitor {
            file,
            index: Index::default(),
        };
        out.reindex();
        out
    }

    /// Rebuilds the index after items were added or removed.
    pub fn reindex(&mut self) {
        let mut index = Index::default();
        for (position, item) in self.file.items.iter().enumerate() {
            match item {
                Item::Mod(m) if m.content.is_some() => {
                    index.modules.insert(m.ident.to_string(), position);
                }
                Item::Impl(imp)
                    if imp.trait_.is_none()
                        && type_name(&imp.self_ty).as_deref() == Some("Client") =>
                {
                    for (inner, item) in imp.items.iter().enumerate() {
                        if let ImplItem::Fn(f) = item {
                            index
                                .client_methods
                                .insert(f.sig.ident.to_string(), (position, inner));
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some(&builder) = index.modules.get("builder") {
            index.builders = index_items(module_items(&self.file.items, builder));
        }
        if let Some(&types) = index.modules.get("types") {
            let items = module_items(&self.file.items, types);
            index.types = index_items(items);
            index.types_builder_module = items.iter().position(
                |i| matches!(i, Item::Mod(m) if m.ident == "builder" && m.content.is_some()),
            );
            if let Some(position) = index.types_builder_module {
                index.type_builders = index_items(module_items(items, position));
            }
        }
        self.index = index;
    }

    /// Whether the top-level module `name` exists.
    pub fn has_module(&self, name: &str) -> bool {
        self.index.modules.contains_key(name)
    }

    /// Removes the top-level module `name`; false when there is none.
    pub fn remove_module(&mut self, name: &str) -> bool {
        let Some(&position) = self.index.modules.get(name) else {
            return false;
        };
        self.file.items.remove(position);
        self.reindex();
        true
    }

    /// Items of the top-level module `name`.
    pub fn module_mut(&mut self, name: &str) -> Option<&mut Vec<Item>> {
        let position = *self.index.modules.get(name)?;
        Some(module_items_mut(&mut self.file.items, position))
    }

    /// The client method `name`.
    pub fn client_method(&self, name: &str) -> Option<&ImplItemFn> {
        let &(imp, inner) = self.index.client_methods.get(name)?;
        match &self.file.items[imp] {
            Item::Impl(imp) => match &imp.items[inner] {
                ImplItem::Fn(f) => Some(f),
                _ => None,
            },
            _ => None,
        }
    }

    /// The builder struct `name` of `mod builder`.
    pub fn builder_struct(&self, name: &str) -> Option<&ItemStruct> {
        let position = self.index.builders.get(name)?.definition?;
        match &module_items(&self.file.items, self.index.modules["builder"])[position] {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The builder struct `name` of `mod builder`, to change.
    pub fn builder_struct_mut(&mut self, name: &str) -> Option<&mut ItemStruct> {
        let position = self.index.builders.get(name)?.definition?;
        let module = *self.index.modules.get("builder")?;
        match &mut module_items_mut(&mut self.file.items, module)[position] {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// Method `method` of an inherent impl of builder `name`.
    pub fn builder_fn(&self, name: &str, method: &str) -> Option<&ImplItemFn> {
        let parts = self.index.builders.get(name)?;
        let items = module_items(&self.file.items, *self.index.modules.get("builder")?);
        parts.inherent_impls.iter().find_map(|&p| match &items[p] {
            Item::Impl(imp) => imp.items.iter().find_map(|i| match i {
                ImplItem::Fn(f) if f.sig.ident == method => Some(f),
                _ => None,
            }),
            _ => None,
        })
    }

    /// Method `method` of an inherent impl of builder `name`, to change.
    pub fn builder_fn_mut(&mut self, name: &str, method: &str) -> Option<&mut ImplItemFn> {
        let parts = self.index.builders.get(name)?.clone();
        let module = *self.index.modules.get("builder")?;
        fn_in_impls_mut(
            module_items_mut(&mut self.file.items, module),
            &parts,
            method,
        )
    }

    /// `T` of builder `name`'s `body: Result<T, String>` field: the type its body is built as
    /// (`types::builder::X` for a generated struct).
    pub fn builder_body_type(&self, name: &str) -> Option<&syn::Type> {
        self.builder_struct(name)?
            .fields
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))
            .and_then(|f| syntax::first_arg(&f.ty, "Result"))
    }

    /// The first inherent impl of builder `name`, to add methods to.
    pub fn builder_impl_mut(&mut self, name: &str) -> Option<&mut syn::ItemImpl> {
        let position = *self.index.builders.get(name)?.inherent_impls.first()?;
        let module = *self.index.modules.get("builder")?;
        match &mut module_items_mut(&mut self.file.items, module)[position] {
            Item::Impl(imp) => Some(imp),
            _ => None,
        }
    }

    /// The struct `name` of `mod types`.
    pub fn type_struct(&self, name: &str) -> Option<&ItemStruct> {
        let position = self.index.types.get(name)?.definition?;
        match &module_items(&self.file.items, *self.index.modules.get("types")?)[position] {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The struct `name` of `mod types`, to change.
    pub fn type_struct_mut(&mut self, name: &str) -> Option<&mut ItemStruct> {
        let position = self.index.types.get(name)?.definition?;
        let module = *self.index.modules.get("types")?;
        match &mut module_items_mut(&mut self.file.items, module)[position] {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// Names of the structs and enums of `mod types`, sorted.
    pub fn type_definition_names(&self) -> Vec<String> {
        defined_names(&self.index.types)
    }

    /// The field types of struct or enum `name` of `mod types` (all variants' fields).
    pub fn type_field_types(&self, name: &str) -> Option<Vec<syn::Type>> {
        let position = self.index.types.get(name)?.definition?;
        match &module_items(&self.file.items, *self.index.modules.get("types")?)[position] {
            Item::Struct(s) => Some(super::passes::derive_eq::field_types(&s.fields)),
            Item::Enum(e) => Some(
                e.variants
                    .iter()
                    .flat_map(|v| super::passes::derive_eq::field_types(&v.fields))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The attributes of struct or enum `name` of `mod types`, to change.
    pub fn type_attrs_mut(&mut self, name: &str) -> Option<&mut Vec<syn::Attribute>> {
        let position = self.index.types.get(name)?.definition?;
        let module = *self.index.modules.get("types")?;
        match &mut module_items_mut(&mut self.file.items, module)[position] {
            Item::Struct(s) => Some(&mut s.attrs),
            Item::Enum(e) => Some(&mut e.attrs),
            _ => None,
        }
    }

    /// Names of the enums of `mod types`, sorted.
    pub fn type_enum_names(&self) -> Vec<String> {
        self.type_names_where(|item| matches!(item, Item::Enum(_)))
    }

    /// Names of the structs of `mod types`, sorted.
    pub fn type_struct_names(&self) -> Vec<String> {
        self.type_names_where(|item| matches!(item, Item::Struct(_)))
    }

    /// Names of the items of `mod types` that `keep` accepts, sorted.
    fn type_names_where(&self, keep: impl Fn(&Item) -> bool) -> Vec<String> {
        let Some(&module) = self.index.modules.get("types") else {
            return Vec::new();
        };
        let items = module_items(&self.file.items, module);
        let mut names: Vec<String> = self
            .index
            .types
            .iter()
            .filter(|(_, p)| p.definition.is_some_and(|d| keep(&items[d])))
            .map(|(n, _)| n.clone())
            .collect();
        names.sort();
        names
    }

    /// The enum `name` of `mod types`, to change.
    pub fn type_enum_mut(&mut self, name: &str) -> Option<&mut ItemEnum> {
        let position = self.index.types.get(name)?.definition?;
        let module = *self.index.modules.get("types")?;
        match &mut module_items_mut(&mut self.file.items, module)[position] {
            Item::Enum(e) => Some(e),
            _ => None,
        }
    }

    /// Removes the impls of trait `trait_name` for type `name` of `mod types`; returns how many.
    /// Call [`Self::reindex`] after a batch of removals.
    pub fn remove_type_trait_impls(&mut self, names: &[(String, &[&str])]) -> usize {
        let Some(&module) = self.index.modules.get("types") else {
            return 0;
        };
        let mut doomed: Vec<usize> = names
            .iter()
            .filter_map(|(name, traits)| Some((self.index.types.get(name)?, *traits)))
            .flat_map(|(parts, traits)| {
                parts
                    .trait_impls
                    .iter()
                    .filter(|(t, _)| traits.contains(&t.as_str()))
                    .map(|(_, p)| *p)
                    .collect::<Vec<_>>()
            })
            .collect();
        doomed.sort_unstable();
        doomed.dedup();
        let items = module_items_mut(&mut self.file.items, module);
        for &position in doomed.iter().rev() {
            items.remove(position);
        }
        doomed.len()
    }

    /// Trait names implemented for type `name` of `mod types`.
    pub fn type_trait_impls(&self, name: &str) -> Vec<String> {
        self.index
            .types
            .get(name)
            .map(|p| p.trait_impls.iter().map(|(t, _)| t.clone()).collect())
            .unwrap_or_default()
    }

    /// Names of the structs that have a typify builder (in `types::builder`), sorted.
    pub fn type_builder_names(&self) -> Vec<String> {
        defined_names(&self.index.type_builders)
    }

    /// typify's builder struct `name` (in `types::builder`), to change.
    pub fn type_builder_struct_mut(&mut self, name: &str) -> Option<&mut ItemStruct> {
        let (items, parts) = self.type_builder_items_mut(name)?;
        match &mut items[parts.definition?] {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// Method `method` of typify's builder `name`, to change.
    pub fn type_builder_fn_mut(&mut self, name: &str, method: &str) -> Option<&mut ImplItemFn> {
        let (items, parts) = self.type_builder_items_mut(name)?;
        fn_in_impls_mut(items, &parts, method)
    }

    /// Method `method` of the impl of trait `trait_name` (e.g. `TryFrom`) in `types::builder`
    /// whose type is `name` (`impl TryFrom<X> for super::X` counts as `X`'s), to change.
    pub fn type_builder_trait_fn_mut(
        &mut self,
        name: &str,
        trait_name: &str,
        method: &str,
    ) -> Option<&mut ImplItemFn> {
        let (items, parts) = self.type_builder_items_mut(name)?;
        trait_fn_in_impls_mut(items, &parts, trait_name, method)
    }

    /// The items of `types::builder` and where builder `name`'s parts are among them.
    fn type_builder_items_mut(&mut self, name: &str) -> Option<(&mut [Item], Parts)> {
        let parts = self.index.type_builders.get(name)?.clone();
        let types = *self.index.modules.get("types")?;
        let items = module_items_mut(
            module_items_mut(&mut self.file.items, types),
            self.index.types_builder_module?,
        );
        Some((items, parts))
    }

    /// Removes typify's builder of struct `name`: its struct and impls in `types::builder`,
    /// and `name::builder()` (leaving its impl block, maybe empty, in place). False when either
    /// is absent. Call [`Self::remove_empty_type_impls`] after a batch of removals.
    pub fn remove_type_builder(&mut self, name: &str) -> bool {
        let (Some(&types), Some(inner), Some(builder), Some(parts)) = (
            self.index.modules.get("types"),
            self.index.types_builder_module,
            self.index.type_builders.get(name).cloned(),
            self.index.types.get(name).cloned(),
        ) else {
            return false;
        };
        let Some(definition) = builder.definition else {
            return false;
        };
        let items = module_items_mut(&mut self.file.items, types);
        // `X::builder()`, in one of X's inherent impls.
        let Some((at, position)) = parts.inherent_impls.iter().find_map(|&p| match &items[p] {
            Item::Impl(imp) => imp
                .items
                .iter()
                .position(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "builder"))
                .map(|position| (p, position)),
            _ => None,
        }) else {
            return false;
        };
        let mut doomed: Vec<usize> = std::iter::once(definition)
            .chain(builder.inherent_impls.iter().copied())
            .chain(builder.trait_impls.iter().map(|(_, p)| *p))
            .collect();
        doomed.sort_unstable();
        doomed.dedup();
        let builders = module_items_mut(items, inner);
        for &p in doomed.iter().rev() {
            builders.remove(p);
        }
        // Only `types::builder` moved: X's impl in `types` is still at `at`.
        let Item::Impl(imp) = &mut items[at] else {
            return false;
        };
        imp.items.remove(position);
        self.reindex_type_builders();
        true
    }

    /// Removes the inherent impls of `mod types` that have nothing left in them.
    pub fn remove_empty_type_impls(&mut self) {
        if let Some(items) = self.module_mut("types") {
            items.retain(|item| {
                !matches!(item, Item::Impl(imp) if imp.trait_.is_none() && imp.items.is_empty())
            });
        }
        self.reindex();
    }

    /// Rebuilds the index of `types::builder` only (cheaper than [`Self::reindex`]).
    fn reindex_type_builders(&mut self) {
        let (Some(&types), Some(inner)) = (
            self.index.modules.get("types"),
            self.index.types_builder_module,
        ) else {
            return;
        };
        let items = module_items(&self.file.items, types);
        self.index.type_builders = index_items(module_items(items, inner));
    }

    /// The module `name` inside `mod types` (typify's `defaults`, `builder`, `error`).
    pub fn types_submodule_mut(&mut self, name: &str) -> Option<&mut syn::ItemMod> {
        self.module_mut("types")?
            .iter_mut()
            .find_map(|item| match item {
                Item::Mod(m) if m.ident == name => Some(m),
                _ => None,
            })
    }

    /// Appends to `mod types` the items of each token stream a pass wrote (`what` names them
    /// in the panic that a pass writing invalid Rust deserves).
    pub fn extend_types_with(&mut self, written: Vec<proc_macro2::TokenStream>, what: &str) {
        let items = written
            .into_iter()
            .flat_map(|tokens| match syn::parse2::<syn::File>(tokens) {
                Ok(file) => file.items,
                Err(e) => panic!("{what} are not valid Rust: {e}"),
            })
            .collect();
        self.extend_types(items);
    }

    /// Appends items to `mod types`.
    pub fn extend_types(&mut self, items: Vec<Item>) {
        if let Some(module) = self.module_mut("types") {
            module.extend(items);
        }
        self.reindex();
    }
}

/// Structural questions about progenitor's types.
pub mod syntax {
    use syn::{GenericArgument, PathArguments, Type};

    /// The generic arguments of the last path segment of `ty`, when it is named `outer`.
    pub fn generic_args<'a>(ty: &'a Type, outer: &str) -> Option<Vec<&'a Type>> {
        let Type::Path(path) = ty else { return None };
        let last = path.path.segments.last()?;
        if last.ident != outer {
            return None;
        }
        match &last.arguments {
            PathArguments::AngleBracketed(args) => Some(
                args.args
                    .iter()
                    .filter_map(|a| match a {
                        GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    /// `T` of `Outer<T, ...>`.
    pub fn first_arg<'a>(ty: &'a Type, outer: &str) -> Option<&'a Type> {
        generic_args(ty, outer)?.into_iter().next()
    }

    /// The name of the last segment of a path type.
    pub fn last_ident(ty: &Type) -> Option<String> {
        match ty {
            Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        }
    }

    /// A path type whose first segment is `types` (a generated type), e.g. `types::Server`.
    pub fn is_generated(ty: &Type) -> bool {
        matches!(ty, Type::Path(path) if path.qself.is_none()
            && path.path.leading_colon.is_none()
            && path.path.segments.first().is_some_and(|s| s.ident == "types"))
    }

    /// The type progenitor's `send` decodes a success into: `T` of
    /// `Result<ResponseValue<T>, Error<E>>`.
    pub fn send_success(output: &syn::ReturnType) -> Option<&Type> {
        let syn::ReturnType::Type(_, ty) = output else {
            return None;
        };
        first_arg(first_arg(ty, "Result")?, "ResponseValue")
    }

    /// A type named inside progenitor's `types` module, as seen from the crate root.
    pub fn qualify_in_types(ty: &Type) -> Type {
        match ty {
            Type::Path(path)
                if path.qself.is_none()
                    && path.path.leading_colon.is_none()
                    && path.path.segments.len() == 1 =>
            {
                syn::parse_quote!(types::#path)
            }
            other => other.clone(),
        }
    }

    /// The wire name of a struct field: its `#[serde(rename)]`, else its identifier.
    pub fn wire_name(field: &syn::Field) -> Option<String> {
        let mut name = field.ident.as_ref()?.to_string();
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    name = meta.value()?.parse::<syn::LitStr>()?.value();
                } else if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
        }
        Some(name)
    }

    /// The field of `st` sent as `wire`.
    pub fn field_by_wire<'a>(st: &'a syn::ItemStruct, wire: &str) -> Option<&'a syn::Field> {
        st.fields
            .iter()
            .find(|f| wire_name(f).as_deref() == Some(wire))
    }

    /// The field of `st` sent as `wire`, to change.
    pub fn field_by_wire_mut<'a>(
        st: &'a mut syn::ItemStruct,
        wire: &str,
    ) -> Option<&'a mut syn::Field> {
        st.fields
            .iter_mut()
            .find(|f| wire_name(f).as_deref() == Some(wire))
    }
}

//! Runs progenitor on a normalized spec and reshapes its output into a crate's sources.
//!
//! Post-processing on the syntax tree, before formatting:
//! - string enums are opened: Scaleway adds values all the time, so each gets an
//!   `Unknown(String)` variant that keeps any value this crate does not know, and its
//!   conversions are rewritten to never fail;
//! - a wrapper `Client` is emitted in `lib.rs` that shares the runtime's HTTP client and fills
//!   each required `zone`/`region` parameter with the configured default.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use syn::{Fields, Item, ItemEnum, ItemImpl, Type};

/// Rust type names typify gives the shared components added by normalization.
const REPLACEMENTS: [(&str, &str); 3] = [
    ("ScalewayStdZone", "::scaleway_core::Zone"),
    ("ScalewayStdRegion", "::scaleway_core::Region"),
    ("ScalewayStdError", "::scaleway_core::ApiError"),
];

/// The Rust sources of one API crate.
#[derive(Debug, Clone)]
pub struct GeneratedSources {
    /// `src/api.rs`: progenitor's client, builders and types.
    pub api: String,
    /// `src/lib.rs`: crate docs, wrapper client and hooks.
    pub lib: String,
    /// Optional dependencies the generated types need.
    pub uses_chrono: bool,
    pub uses_uuid: bool,
    pub uses_regress: bool,
    /// Names of the client's operations, in spec order.
    pub operations: Vec<String>,
}

/// What the crate docs say about the API.
pub struct CrateDocs<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub spec_file: &'a str,
    pub crate_ident: &'a str,
    /// Short API name, e.g. `instance`.
    pub api_name: &'a str,
}

/// Generates the sources for a normalized spec.
pub fn generate(
    spec: &openapiv3::OpenAPI,
    docs: &CrateDocs<'_>,
) -> Result<GeneratedSources, String> {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(::scaleway_core::Runtime))
        // Ordered maps keep serialization and generated code deterministic.
        .with_map_type("::std::collections::BTreeMap");
    for (typify_name, rust_type) in REPLACEMENTS {
        let impls: Vec<TypeImpl> = if rust_type.ends_with("ApiError") {
            vec![TypeImpl::Display]
        } else {
            vec![TypeImpl::Display, TypeImpl::FromStr]
        };
        settings.with_replacement(typify_name, rust_type, impls.into_iter());
    }
    let mut generator = Generator::new(&settings);
    let tokens = generator.generate_tokens(spec).map_err(|e| e.to_string())?;
    let type_space = generator.get_type_space();
    let (uses_chrono, uses_uuid, uses_regress) = (
        type_space.uses_chrono(),
        type_space.uses_uuid(),
        type_space.uses_regress(),
    );

    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced invalid Rust: {e}"))?;
    open_enums(&mut file);
    keep_conversion_errors(&mut file);
    link_builders_to_wrapper(&mut file);
    // progenitor's `prelude` re-exports its own client; users go through the wrapper instead.
    file.items
        .retain(|item| !matches!(item, Item::Mod(m) if m.ident == "prelude"));
    // The spec as JSON, for the extensions and schemas progenitor does not hand back.
    let spec_json = serde_json::to_value(spec).unwrap_or_default();
    let operations = client_operations(&file, &spec_extras(&spec_json));
    let lists = list_operations(&file);
    expose_builder_fields(&mut file);
    let bodies = builder_body_types(&file);
    make_tri_state(
        &mut file,
        &tri_state_targets(&spec_json, &operations, &bodies),
    );
    let replay = replay_module(&operations, &bodies, docs.api_name);
    let lib = wrapper(&operations, &lists, replay, &bodies, docs);

    Ok(GeneratedSources {
        api: prettyplease::unparse(&file),
        lib: rustfmt(&prettyplease::unparse(
            &syn::parse2(lib).map_err(|e| format!("wrapper is invalid Rust: {e}"))?,
        ))?,
        uses_chrono,
        uses_uuid,
        uses_regress,
        operations: operations
            .into_iter()
            .map(|op| op.name.to_string())
            .collect(),
    })
}

/// The wire strings of an enum whose variants all carry no data, or `None` for other enums.
fn string_enum_values(item: &ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    let derives_serde = item.attrs.iter().any(|a| {
        a.path().is_ident("derive") && {
            let text = a
                .meta
                .require_list()
                .map(|l| l.tokens.to_string())
                .unwrap_or_default();
            text.contains("Deserialize")
        }
    });
    if !derives_serde || item.variants.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for variant in &item.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return None;
        }
        let mut wire = variant.ident.to_string();
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    wire = lit.value();
                }
                Ok(())
            });
        }
        out.push((variant.ident.clone(), wire));
    }
    Some(out)
}

fn impl_target(item: &ItemImpl) -> Option<String> {
    match &*item.self_ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn impl_trait(item: &ItemImpl) -> Option<String> {
    item.trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .map(|s| s.ident.to_string())
}

/// Adds `Unknown(String)` to every string enum and replaces its conversions with total ones.
fn open_enums(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        if module.ident != "types" {
            continue;
        }
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        let mut opened = BTreeSet::new();
        let mut added = Vec::new();
        for item in items.iter_mut() {
            let Item::Enum(item) = item else { continue };
            let Some(values) = string_enum_values(item) else {
                continue;
            };
            drop_copy_derive(item);
            // `Unknown` unless the API itself has a value `unknown`.
            let catch_all = if values.iter().any(|(v, _)| v == "Unknown") {
                quote::format_ident!("UnknownValue")
            } else {
                quote::format_ident!("Unknown")
            };
            item.variants.push(syn::parse_quote! {
                /// A value this version of the crate does not know yet, kept as received.
                #[serde(untagged)]
                #catch_all(::std::string::String)
            });
            added.push(open_enum_impls(&item.ident, &values, &catch_all));
            opened.insert(item.ident.to_string());
        }
        // typify's conversions reject unknown strings; ours (added below) accept them.
        items.retain(|item| match item {
            Item::Impl(imp) => {
                !(impl_target(imp).is_some_and(|t| opened.contains(&t))
                    && matches!(
                        impl_trait(imp).as_deref(),
                        Some("Display" | "FromStr" | "TryFrom")
                    ))
            }
            _ => true,
        });
        for tokens in added {
            let parsed: syn::File = syn::parse2(tokens).expect("open enum impls are valid Rust");
            items.extend(parsed.items);
        }
    }
}

fn drop_copy_derive(item: &mut ItemEnum) {
    for attr in item
        .attrs
        .iter_mut()
        .filter(|a| a.path().is_ident("derive"))
    {
        let Ok(list) = attr.meta.require_list() else {
            continue;
        };
        let kept: Vec<syn::Path> = list
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .map(|paths| paths.into_iter().filter(|p| !p.is_ident("Copy")).collect())
            .unwrap_or_default();
        if !kept.is_empty() {
            *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        }
    }
}

fn open_enum_impls(
    name: &syn::Ident,
    values: &[(syn::Ident, String)],
    catch_all: &syn::Ident,
) -> TokenStream {
    let variants: Vec<_> = values.iter().map(|(v, _)| v).collect();
    let wires: Vec<_> = values.iter().map(|(_, w)| w).collect();
    quote! {
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#catch_all(value) => value.as_str(),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(match value {
                    #(#wires => Self::#variants,)*
                    other => Self::#catch_all(other.to_owned()),
                })
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value.parse() {
                    Ok(parsed) => parsed,
                    Err(never) => match never {},
                }
            }
        }
        impl ::std::convert::From<&::std::string::String> for #name {
            fn from(value: &::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
    }
}

/// progenitor's operation builders drop the reason a parameter conversion failed
/// (`conversion to `Zone` for zone failed`); keep it, so that callers read e.g.
/// `invalid zone: "fr-par-9x" is not a zone: expected <region>-<n> such as fr-par-1`.
fn keep_conversion_errors(file: &mut syn::File) {
    use syn::visit_mut::VisitMut;

    struct Rewrite;
    impl VisitMut for Rewrite {
        fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
            let mut changed = false;
            let mut closures = Closures(&mut changed);
            closures.visit_block_mut(&mut method.block);
            if changed {
                let generic = method
                    .sig
                    .generics
                    .type_params()
                    .next()
                    .map(|p| p.ident.clone());
                if let Some(generic) = generic {
                    method
                        .sig
                        .generics
                        .make_where_clause()
                        .predicates
                        .push(syn::parse_quote!(#generic::Error: ::std::fmt::Display));
                }
            }
        }
    }

    struct Closures<'a>(&'a mut bool);
    impl VisitMut for Closures<'_> {
        fn visit_expr_closure_mut(&mut self, closure: &mut syn::ExprClosure) {
            let is_wildcard =
                closure.inputs.len() == 1 && matches!(closure.inputs[0], syn::Pat::Wild(_));
            let body = &closure.body;
            let text = quote!(#body).to_string();
            if is_wildcard
                && let Some(rest) = text.strip_prefix("\"conversion to `")
                && let Some((_, name)) = rest.split_once("` for ")
                && let Some(name) = name.strip_suffix(" failed\" . to_string ()")
            {
                let message = format!("invalid {name}: {{e}}");
                *closure = syn::parse_quote!(|e| format!(#message));
                *self.0 = true;
            }
        }
    }

    for item in &mut file.items {
        if let Item::Mod(module) = item
            && module.ident == "builder"
        {
            Rewrite.visit_item_mod_mut(module);
        }
    }
}

/// Builder docs link to progenitor's client, which the crate keeps private; the wrapper
/// `crate::Client` has the same methods.
fn link_builders_to_wrapper(file: &mut syn::File) {
    use syn::visit_mut::VisitMut;

    struct Docs;
    impl VisitMut for Docs {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &mut nv.value
                && text.value().contains("]: super::Client::")
            {
                let fixed = text
                    .value()
                    .replace("]: super::Client::", "]: crate::Client::");
                *text = syn::LitStr::new(&fixed, text.span());
            }
        }
    }

    for item in &mut file.items {
        if let Item::Mod(module) = item
            && module.ident == "builder"
        {
            Docs.visit_item_mod_mut(module);
        }
    }
}

/// One method of progenitor's client, as the wrapper forwards it.
struct Operation {
    name: syn::Ident,
    builder: syn::Ident,
    docs: Vec<syn::Attribute>,
    /// HTTP method and path template, read from progenitor's doc line.
    http: Option<(String, String)>,
    /// What the spec says beyond progenitor's reach: owner fields, name prefix, waiter.
    extra: SpecExtras,
    /// `zone` or `region` when that parameter is required.
    locality: Option<&'static str>,
}

/// One `#[doc]` per line, which formats as `///` comments. A multi-line `#[doc]` formats as a
/// block comment that rustfmt re-indents, and indented Markdown turns into a code block.
fn line_docs(text: &str) -> Vec<syn::Attribute> {
    text.lines()
        .map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            syn::parse_quote!(#[doc = #line])
        })
        .collect()
}

/// `Sends a `GET` request to `/path/{id}`` → ("GET", "/path/{id}").
fn sent_request(doc: &str) -> Option<(String, String)> {
    let rest = doc.split("Sends a `").nth(1)?;
    let (method, rest) = rest.split_once('`')?;
    let path = rest.split('`').nth(1)?;
    Some((method.to_owned(), path.to_owned()))
}

/// For each builder: the type `send()` decodes a success into, and the type of its JSON body.
fn builder_body_types(
    file: &syn::File,
) -> std::collections::BTreeMap<String, (Option<Type>, Option<Type>)> {
    let mut out = std::collections::BTreeMap::new();
    let Some(items) = file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return out;
    };
    for item in items {
        match item {
            Item::Struct(st) => {
                let body = st
                    .fields
                    .iter()
                    .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"));
                let body = body.and_then(|f| {
                    let ty = &f.ty;
                    let text = quote!(#ty).to_string().replace(' ', "");
                    let name = text
                        .strip_prefix("Result<types::builder::")?
                        .strip_suffix(",String>")?;
                    syn::parse_str::<Type>(&format!("types::{name}")).ok()
                });
                out.entry(st.ident.to_string()).or_insert((None, None)).1 = body;
            }
            Item::Impl(imp) => {
                let Some(name) = impl_target(imp) else {
                    continue;
                };
                for item in &imp.items {
                    let syn::ImplItem::Fn(f) = item else { continue };
                    if f.sig.ident != "send" {
                        continue;
                    }
                    let output = &f.sig.output;
                    let text = quote!(#output).to_string().replace(' ', "");
                    let response = text
                        .split("ResponseValue<")
                        .nth(1)
                        .and_then(|rest| rest.split('>').next())
                        .filter(|ty| ty.starts_with("types::"))
                        .and_then(|ty| syn::parse_str::<Type>(ty).ok());
                    out.entry(name.clone()).or_insert((None, None)).0 = response;
                }
            }
            _ => {}
        }
    }
    out
}

/// A `x-waiter` extension: poll the operation until the state at `state` is terminal.
#[derive(Clone, Debug, Default)]
struct Waiter {
    name: String,
    state: String,
    terminal: Vec<String>,
    /// The path parameter naming the resource (the one that is not zone or region).
    id_parameter: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct SpecExtras {
    owner_fields: Vec<String>,
    name_prefix: Option<String>,
    waiter: Option<Waiter>,
}

/// Per (METHOD, path template): the extras generation needs from the spec itself.
/// The JSON request body schema of `op`, following a `$ref` to its component.
fn json_body_schema<'a>(
    doc: &'a serde_json::Value,
    op: &'a serde_json::Value,
) -> Option<&'a serde_json::Value> {
    let schema = op.pointer("/requestBody/content/application~1json/schema")?;
    match schema.get("$ref").and_then(|r| r.as_str()) {
        Some(reference) => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| doc.pointer("/components/schemas")?.get(name)),
        None => Some(schema),
    }
}

fn spec_extras(
    doc: &serde_json::Value,
) -> std::collections::BTreeMap<(String, String), SpecExtras> {
    let mut out = std::collections::BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let mut extras = SpecExtras::default();
            let body = json_body_schema(doc, op);
            if method == "post"
                && let Some(props) = body
                    .and_then(|b| b.get("properties"))
                    .and_then(|p| p.as_object())
            {
                extras.owner_fields = ["project", "organization", "project_id", "organization_id"]
                    .into_iter()
                    .filter(|f| props.contains_key(*f))
                    .map(str::to_owned)
                    .collect();
                if props.contains_key("name") {
                    extras.name_prefix = op
                        .get("x-name-prefix")
                        .and_then(|p| p.as_str())
                        .map(str::to_owned);
                }
            }
            if let Some(waiter) = op.get("x-waiter") {
                let text = |key: &str| waiter.get(key).and_then(|v| v.as_str()).map(str::to_owned);
                let id_parameter = op
                    .get("parameters")
                    .and_then(|p| p.as_array())
                    .into_iter()
                    .flatten()
                    .filter(|p| p.get("in").and_then(|i| i.as_str()) == Some("path"))
                    .filter_map(|p| p.get("name").and_then(|n| n.as_str()))
                    .find(|name| !matches!(*name, "zone" | "region"))
                    .map(str::to_owned);
                if let (Some(name), Some(state)) = (text("name"), text("state")) {
                    extras.waiter = Some(Waiter {
                        name,
                        state,
                        terminal: waiter
                            .get("terminal")
                            .and_then(|t| t.as_array())
                            .into_iter()
                            .flatten()
                            .filter_map(|t| t.as_str().map(str::to_owned))
                            .collect(),
                        id_parameter,
                    });
                }
            }
            out.insert((method.to_ascii_uppercase(), path.clone()), extras);
        }
    }
    out
}

fn client_operations(
    file: &syn::File,
    extras: &std::collections::BTreeMap<(String, String), SpecExtras>,
) -> Vec<Operation> {
    // Required locality parameters, read from the builder structs' field types.
    let mut locality = std::collections::BTreeMap::new();
    for item in &file.items {
        let Item::Mod(module) = item else { continue };
        if module.ident != "builder" {
            continue;
        }
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let Item::Struct(st) = item else { continue };
            for field in &st.fields {
                let (Some(ident), ty) = (&field.ident, &field.ty) else {
                    continue;
                };
                let ty = quote!(#ty).to_string().replace(' ', "");
                let found = match ident.to_string().as_str() {
                    "zone" if ty == "Result<::scaleway_core::Zone,String>" => "zone",
                    "region" if ty == "Result<::scaleway_core::Region,String>" => "region",
                    _ => continue,
                };
                locality.insert(st.ident.to_string(), found);
            }
        }
    }

    let mut out = Vec::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || impl_target(imp).as_deref() != Some("Client") {
            continue;
        }
        for item in &imp.items {
            let syn::ImplItem::Fn(method) = item else {
                continue;
            };
            let syn::ReturnType::Type(_, ty) = &method.sig.output else {
                continue;
            };
            let Type::Path(path) = &**ty else { continue };
            let segments: Vec<_> = path.path.segments.iter().collect();
            if segments.len() != 2 || segments[0].ident != "builder" {
                continue;
            }
            let builder = segments[1].ident.clone();
            let doc_text: String = method
                .attrs
                .iter()
                .filter_map(|a| match &a.meta {
                    syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => Some(s.value()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n");
            let http = sent_request(&doc_text);
            out.push(Operation {
                extra: http
                    .as_ref()
                    .and_then(|key| extras.get(key))
                    .cloned()
                    .unwrap_or_default(),
                http,
                name: method.sig.ident.clone(),
                locality: locality.get(&builder.to_string()).copied(),
                builder,
                docs: line_docs(&doc_text),
            });
        }
    }
    out
}

/// A list operation: a `page` parameter and one array in its response.
struct ListOperation {
    builder: syn::Ident,
    items_field: syn::Ident,
    /// `T` of a `Vec<T>` field, or `(K, V)` of a map field (server types keyed by name).
    item_type: Type,
    is_map: bool,
    has_total_field: bool,
    /// `page_size` or `per_page`, when the operation takes one.
    page_size: Option<syn::Ident>,
    /// `zone` or `region` when the list is per zone or region.
    locality: Option<&'static str>,
}

fn list_operations(file: &syn::File) -> Vec<ListOperation> {
    let module = |name: &str| {
        file.items.iter().find_map(|item| match item {
            Item::Mod(m) if m.ident == name => {
                m.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })
    };
    let (Some(types), Some(builders)) = (module("types"), module("builder")) else {
        return Vec::new();
    };
    let structs = |items: &[Item]| -> std::collections::BTreeMap<String, syn::ItemStruct> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::Struct(st) => Some((st.ident.to_string(), st.clone())),
                _ => None,
            })
            .collect()
    };
    let response_types = structs(types);
    let mut out = Vec::new();
    for item in builders {
        let Item::Impl(imp) = item else { continue };
        let Some(builder) = impl_target(imp) else {
            continue;
        };
        let Some(send) = imp.items.iter().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        }) else {
            continue;
        };
        let output = &send.sig.output;
        let output = quote!(#output).to_string().replace(' ', "");
        let Some(response) = output
            .split("ResponseValue<types::")
            .nth(1)
            .and_then(|rest| rest.split(['>', '<', ',']).next())
        else {
            continue;
        };
        let Some(builder_struct) = structs(builders).remove(&builder) else {
            continue;
        };
        let field_names: Vec<String> = builder_struct
            .fields
            .iter()
            .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
            .collect();
        if !field_names.iter().any(|f| f == "page") {
            continue;
        }
        let Some(response) = response_types.get(response) else {
            continue;
        };
        let arrays: Vec<(&syn::Ident, Type)> = response
            .fields
            .iter()
            .filter_map(|f| Some((f.ident.as_ref()?, vec_item(&f.ty)?)))
            .collect();
        // A page can also be a map keyed by name, counted by X-Total-Count like a list.
        let maps: Vec<(&syn::Ident, Type)> = response
            .fields
            .iter()
            .filter_map(|f| Some((f.ident.as_ref()?, map_entry(&f.ty)?)))
            .collect();
        let (items_field, item_type, is_map) = match (arrays.as_slice(), maps.as_slice()) {
            ([(field, item)], _) => (*field, item.clone(), false),
            ([], [(field, entry)]) => (*field, entry.clone(), true),
            _ => continue,
        };
        let has_total_field = response
            .fields
            .iter()
            .any(|f| f.ident.as_ref().is_some_and(|i| i == "total_count"));
        out.push(ListOperation {
            builder: quote::format_ident!("{builder}"),
            items_field: items_field.clone(),
            item_type: qualify_in_types(&item_type),
            is_map,
            has_total_field,
            locality: ["zone", "region"]
                .into_iter()
                .find(|name| field_names.iter().any(|f| f == name)),
            page_size: ["page_size", "per_page"]
                .into_iter()
                .find(|name| field_names.iter().any(|f| f == name))
                .map(|name| quote::format_ident!("{name}")),
        });
    }
    out
}

/// `T` of `::std::vec::Vec<T>`.
fn vec_item(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `(K, V)` of `::std::collections::BTreeMap<K, V>`.
fn map_entry(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "BTreeMap" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(qualify_in_types(t)),
        _ => None,
    });
    let (key, value) = (types.next()?, types.next()?);
    Some(syn::parse_quote!((#key, #value)))
}

/// A type named inside progenitor's `types` module, as seen from the crate root.
fn qualify_in_types(ty: &Type) -> Type {
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

/// Lets the crate's own pagination code read and set builder parameters.
fn expose_builder_fields(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        if module.ident != "builder" {
            continue;
        }
        for item in module.content.iter_mut().flat_map(|(_, items)| items) {
            if let Item::Struct(st) = item {
                for field in st.fields.iter_mut() {
                    field.vis = syn::parse_quote!(pub(crate));
                }
            }
        }
    }
}

fn pagination_impl(list: &ListOperation) -> TokenStream {
    let ListOperation {
        builder,
        items_field,
        item_type,
        is_map,
        has_total_field,
        page_size,
        locality,
    } = list;
    let items_expr = if *is_map {
        quote!(body.#items_field.into_iter().collect())
    } else {
        quote!(body.#items_field)
    };
    let across = match locality {
        Some(kind) => {
            let (setter, ty) = match *kind {
                "zone" => (quote!(zone), quote!(::scaleway_core::Zone)),
                _ => (quote!(region), quote!(::scaleway_core::Region)),
            };
            let method = quote::format_ident!("collect_all_in_{kind}s");
            let doc = format!(
                "Every item in each of `{kind}s`, listed concurrently and kept per {kind} in the order given; a failing {kind} does not hide the others. Merge with [`scaleway_core::locality::merge`]."
            );
            quote! {
                #[doc = #doc]
                pub async fn #method(self, localities: &[#ty]) -> ::std::vec::Vec<::scaleway_core::locality::PerLocality<#ty, ::std::vec::Vec<#item_type>, Error<ApiError>>> {
                    ::scaleway_core::locality::across(localities, |locality| self.clone().#setter(locality).collect_all()).await
                }
            }
        }
        None => quote!(),
    };
    let body_total = if *has_total_field {
        quote!(
            ::scaleway_core::pagination::IntoTotal::into_total(body.total_count).or(header_total)
        )
    } else {
        quote!(header_total)
    };
    let with_page_size = match page_size {
        Some(setter) => quote! {
            // A full page where the caller chose no size: fewer round trips.
            let builder = match &self.#setter {
                Ok(None) => self.#setter(::scaleway_core::pagination::DEFAULT_PAGE_SIZE),
                _ => self,
            };
        },
        None => quote!(let builder = self;),
    };
    quote! {
        impl<'a> builder::#builder<'a> {
            /// Every item of every page, keeping the filters set on this builder.
            ///
            /// Once the first page gives the total, the other pages are fetched concurrently
            /// ([`Runtime::page_concurrency`] at a time) and items arrive in page order.
            pub fn stream(self) -> ::scaleway_core::pagination::ItemStream<'a, #item_type, Error<ApiError>> {
                let concurrency = self.client.inner().page_concurrency();
                self.stream_with_concurrency(concurrency)
            }

            /// Like [`Self::stream`], with `concurrency` pages in flight at most (1: sequential).
            pub fn stream_with_concurrency(self, concurrency: usize) -> ::scaleway_core::pagination::ItemStream<'a, #item_type, Error<ApiError>> {
                #with_page_size
                ::scaleway_core::pagination::paginate(concurrency, move |page| {
                    let request = builder.clone().page(page);
                    async move {
                        let response = request.send().await?;
                        let header_total = ::scaleway_core::pagination::header_total(response.headers());
                        let body = response.into_inner();
                        Ok(::scaleway_core::pagination::Page {
                            total: #body_total,
                            items: #items_expr,
                        })
                    }
                })
            }

            /// Every item of every page, collected; the first error stops the listing.
            pub async fn collect_all(self) -> ::std::result::Result<::std::vec::Vec<#item_type>, Error<ApiError>> {
                ::scaleway_core::pagination::collect_all(self.stream()).await
            }

            #across
        }
    }
}

/// Nullable scalar properties of PATCH bodies, per body struct name: `null` there means
/// "remove" (detach an IP from its server, leave a placement group).
fn tri_state_targets(
    doc: &serde_json::Value,
    operations: &[Operation],
    bodies: &BodyTypes,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for op in operations {
        let Some((method, path)) = &op.http else {
            continue;
        };
        if method != "PATCH" {
            continue;
        }
        let Some((_, Some(Type::Path(body)))) = bodies.get(&op.builder.to_string()) else {
            continue;
        };
        let Some(name) = body.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let pointer = format!(
            "/paths/{}/patch",
            path.replace('~', "~0").replace('/', "~1")
        );
        let Some(schema) = doc
            .pointer(&pointer)
            .and_then(|op| json_body_schema(doc, op))
        else {
            continue;
        };
        let Some(props) = schema.get("properties").and_then(|p| p.as_object()) else {
            continue;
        };
        for (prop, prop_schema) in props {
            let scalar = matches!(
                prop_schema.get("type").and_then(|t| t.as_str()),
                Some("string" | "integer" | "number" | "boolean")
            );
            if scalar
                && prop_schema.get("nullable").and_then(|n| n.as_bool()) == Some(true)
                && prop_schema.get("enum").is_none()
            {
                out.entry(name.clone()).or_default().insert(prop.clone());
            }
        }
    }
    out
}

/// The wire name of a struct field: its `#[serde(rename)]`, else its identifier.
fn wire_name(field: &syn::Field) -> Option<String> {
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

/// Turns the targeted `Option<T>` fields into `Option<Option<T>>` (left out / null / value),
/// in the type, its typify builder and the builder's setter.
fn make_tri_state(
    file: &mut syn::File,
    targets: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) {
    if targets.is_empty() {
        return;
    }
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    // Rust identifiers of the fields changed, per struct, for the builder below.
    let mut changed: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for item in types.iter_mut() {
        let Item::Struct(st) = item else { continue };
        let Some(props) = targets.get(&st.ident.to_string()) else {
            continue;
        };
        for field in st.fields.iter_mut() {
            let Some(wire) = wire_name(field) else {
                continue;
            };
            if !props.contains(&wire) || vec_item(&field.ty).is_some() {
                continue;
            }
            let ty = &field.ty;
            if !quote!(#ty)
                .to_string()
                .replace(' ', "")
                .starts_with("::std::option::Option<")
            {
                continue;
            }
            field.ty = syn::parse_quote!(::std::option::Option<#ty>);
            field.attrs.push(
                syn::parse_quote!(#[serde(default, with = "::scaleway_core::double_option")]),
            );
            field.attrs.push(syn::parse_quote!(#[doc = "\n\n`None` leaves the value unchanged; `Some(None)` sends `null` to remove it."]));
            changed
                .entry(st.ident.to_string())
                .or_default()
                .push(field.ident.as_ref().expect("named").to_string());
        }
    }
    let Some(builders) = types.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    for item in builders.iter_mut() {
        match item {
            Item::Struct(st) => {
                let Some(fields) = changed.get(&st.ident.to_string()) else {
                    continue;
                };
                for field in st.fields.iter_mut() {
                    if !field
                        .ident
                        .as_ref()
                        .is_some_and(|i| fields.contains(&i.to_string()))
                    {
                        continue;
                    }
                    if let Type::Path(path) = &mut field.ty
                        && let Some(last) = path.path.segments.last_mut()
                        && let syn::PathArguments::AngleBracketed(args) = &mut last.arguments
                        && let Some(syn::GenericArgument::Type(inner)) = args.args.first_mut()
                    {
                        *inner = syn::parse_quote!(::std::option::Option<#inner>);
                    }
                }
            }
            Item::Impl(imp) => {
                let Some(fields) = impl_target(imp).and_then(|t| changed.get(&t)) else {
                    continue;
                };
                if imp.trait_.is_some() {
                    continue;
                }
                for item in imp.items.iter_mut() {
                    let syn::ImplItem::Fn(method) = item else {
                        continue;
                    };
                    if !fields.contains(&method.sig.ident.to_string()) {
                        continue;
                    }
                    let Some(clause) = method.sig.generics.where_clause.as_mut() else {
                        continue;
                    };
                    for predicate in clause.predicates.iter_mut() {
                        let syn::WherePredicate::Type(bound) = predicate else {
                            continue;
                        };
                        for b in bound.bounds.iter_mut() {
                            if let syn::TypeParamBound::Trait(t) = b
                                && let Some(last) = t.path.segments.last_mut()
                                && last.ident == "TryInto"
                                && let syn::PathArguments::AngleBracketed(args) =
                                    &mut last.arguments
                                && let Some(syn::GenericArgument::Type(inner)) =
                                    args.args.first_mut()
                            {
                                *inner = syn::parse_quote!(::std::option::Option<#inner>);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The `replay` module: the operation table and body checks `cargo xtask replay` uses.
fn replay_module(
    operations: &[Operation],
    bodies: &std::collections::BTreeMap<String, (Option<Type>, Option<Type>)>,
    api_name: &str,
) -> TokenStream {
    let mut arms = Vec::new();
    for op in operations {
        let name = op.name.to_string();
        let Some((response, body)) = bodies.get(&op.builder.to_string()) else {
            continue;
        };
        if let Some(ty) = response {
            arms.push(quote!((#name, Body::Response) => Some(roundtrip::<#ty>(text)),));
        }
        if let Some(ty) = body {
            arms.push(quote!((#name, Body::Request) => Some(roundtrip::<#ty>(text)),));
        }
    }
    quote! {
        /// Wire-format self-check used by `cargo xtask replay`; not part of the API.
        #[cfg(feature = "replay")]
        #[doc(hidden)]
        pub mod replay {
            use super::types;
            use ::scaleway_core::wire::{roundtrip, Body, WireError};

            /// This crate's operations and body checker.
            pub static API: ::scaleway_core::wire::ApiWire = ::scaleway_core::wire::ApiWire {
                name: #api_name,
                operations: super::OPERATIONS,
                check,
            };

            fn check(operation: &str, body: Body, text: &str) -> Option<Result<::serde_json::Value, WireError>> {
                match (operation, body) {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    }
}

/// The static table of operations the runtime looks requests up in, sorted by name.
fn operations_table(operations: &[Operation]) -> TokenStream {
    let mut sorted: Vec<&Operation> = operations.iter().filter(|op| op.http.is_some()).collect();
    sorted.sort_by_key(|op| op.name.to_string());
    let rows = sorted.iter().map(|op| {
        let name = op.name.to_string();
        let (method, path) = op.http.as_ref().expect("filtered above");
        let owners = &op.extra.owner_fields;
        let prefix = match &op.extra.name_prefix {
            Some(p) => quote!(Some(#p)),
            None => quote!(None),
        };
        quote!(::scaleway_core::OperationMeta { name: #name, method: #method, path: #path, owner_fields: &[#(#owners),*], name_prefix: #prefix })
    });
    quote! {
        /// Every operation of this API, sorted by method name: what the runtime needs to know
        /// about a request (path template for tracing, create defaults).
        pub static OPERATIONS: &[::scaleway_core::OperationMeta] = &[#(#rows),*];
    }
}

/// `wait()` on the builders of operations with an `x-waiter`, and `wait_for_<name>` on the client.
fn waiters(operations: &[Operation], bodies: &BodyTypes) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let (mut on_builders, mut on_client) = (Vec::new(), Vec::new());
    for op in operations {
        let Some(waiter) = &op.extra.waiter else {
            continue;
        };
        let Some((Some(response), _)) = bodies.get(&op.builder.to_string()) else {
            continue;
        };
        let builder = &op.builder;
        let state = &waiter.state;
        let terminal = &waiter.terminal;
        let listed = terminal.join(", ");
        let doc = format!(
            "Sends this request every `options.interval` until the state at `{state}` is one of: {listed}; returns that response. On timeout the error names the last state seen."
        );
        on_builders.push(quote! {
            impl<'a> builder::#builder<'a> {
                #[doc = #doc]
                pub async fn wait(self, options: &WaitOptions) -> ::std::result::Result<#response, WaitError<Error<ApiError>>> {
                    ::scaleway_core::wait::poll_until(options, #state, &[#(#terminal),*], || {
                        let request = self.clone();
                        async move { request.send().await.map(ResponseValue::into_inner) }
                    })
                    .await
                }
            }
        });
        let Some(id) = &waiter.id_parameter else {
            continue;
        };
        let method = quote::format_ident!("wait_for_{}", waiter.name);
        let setter = quote::format_ident!("{id}");
        let name = &op.name;
        let doc = format!(
            "Waits until the {} `{id}` reaches a terminal state ({listed}), in the configured zone or region; see [`builder::{builder}::wait`].",
            waiter.name.replace('_', " ")
        );
        on_client.push(quote! {
            #[doc = #doc]
            pub async fn #method(&self, #setter: &str, options: &WaitOptions) -> ::std::result::Result<#response, WaitError<Error<ApiError>>> {
                self.#name().#setter(#setter).wait(options).await
            }
        });
    }
    (on_builders, on_client)
}

/// Per builder name: (type `send()` decodes a success into, type of the JSON body).
type BodyTypes = std::collections::BTreeMap<String, (Option<Type>, Option<Type>)>;

fn wrapper(
    operations: &[Operation],
    lists: &[ListOperation],
    replay: TokenStream,
    bodies: &BodyTypes,
    docs: &CrateDocs<'_>,
) -> TokenStream {
    let pagination = lists.iter().map(pagination_impl);
    let table = operations_table(operations);
    let (builder_waiters, client_waiters) = waiters(operations, bodies);
    let crate_doc = crate_docs(docs);
    let client_doc = format!(
        "Client of the {}.\n\nBuilt from a [`scaleway_core::Runtime`], whose HTTP client, authentication, retries and default zone and region it shares. Each method returns a builder: set parameters, then `send()`.",
        docs.title
    );
    let methods = operations.iter().map(|op| {
        let Operation {
            name,
            builder,
            docs,
            locality,
            ..
        } = op;
        let body = match locality {
            Some("zone") => quote!(self.raw.#name().zone(self.runtime().default_zone())),
            Some(_) => quote!(self.raw.#name().region(self.runtime().default_region())),
            None => quote!(self.raw.#name()),
        };
        quote! {
            #(#docs)*
            pub fn #name(&self) -> builder::#builder<'_> {
                #body
            }
        }
    });
    let crate_doc = crate_doc.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    let client_doc = line_docs(&client_doc);
    quote! {
        #(#crate_doc)*
        // Spec descriptions are the API publisher's Markdown: bare URLs and HTML-like
        // placeholders in them are text, not links or tags.
        #![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links, rustdoc::invalid_rust_codeblocks)]
        #![allow(clippy::doc_overindented_list_items, clippy::doc_lazy_continuation, clippy::too_long_first_doc_paragraph, clippy::empty_docs)]

        // The large generated module keeps prettyplease's layout; `cargo fmt` skips it.
        #[rustfmt::skip]
        mod api;

        pub use api::{builder, types};
        pub use progenitor_client::{ByteStream, Error, ResponseValue};
        pub use scaleway_core::{ApiError, ApiErrorExt, Region, Runtime, WaitError, WaitOptions, Zone};

        use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

        /// Outcome of a call: the decoded response with its status and headers, or the error.
        pub type Result<T> = ::std::result::Result<ResponseValue<T>, Error<ApiError>>;

        #(#client_doc)*
        #[derive(Clone, Debug)]
        pub struct Client {
            raw: api::Client,
        }

        impl Client {
            /// A client that sends its requests through `runtime`.
            pub fn new(runtime: Runtime) -> Self {
                let baseurl = runtime.api_url().to_owned();
                let raw = api::Client::new_with_client(&baseurl, runtime.http().clone(), runtime);
                Client { raw }
            }

            /// The runtime this client shares with the other API clients.
            pub fn runtime(&self) -> &Runtime {
                self.raw.inner()
            }

            /// The base URL requests go to.
            pub fn baseurl(&self) -> &str {
                self.raw.baseurl()
            }

            #(#methods)*

            #(#client_waiters)*
        }

        #(#builder_waiters)*

        #table

        #(#pagination)*

        #replay

        impl ClientHooks<Runtime> for api::Client {
            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                let operation = ::scaleway_core::find_operation(OPERATIONS, info.operation_id);
                self.inner().execute(self.client(), request, operation).await
            }
        }
    }
}

fn crate_docs(docs: &CrateDocs<'_>) -> String {
    let example = format!(
        "```no_run\nlet runtime = scaleway_core::Runtime::new(scaleway_core::Config::load()?)?;\nlet client = {}::Client::new(runtime);\n# Ok::<(), Box<dyn std::error::Error>>(())\n```",
        docs.crate_ident
    );
    format!(
        "Rust client for the Scaleway {title}, generated from `{spec}`.\n\n\
         Build a [`Client`] from a [`Runtime`] (or use the `scaleway-client` facade), call an \
         operation to get its builder, set parameters and `send()`. Every call returns \
         [`Result`]: the decoded response, or an [`Error`] that carries the decoded [`ApiError`] \
         and status when the API answered one.\n\n{example}\n\n# About this API\n\n{description}",
        title = docs.title,
        spec = docs.spec_file,
        description = docs.description,
    )
}

/// Formats the small hand-shaped `lib.rs` the way `cargo fmt` would, so that `cargo fmt --check`
/// and the drift check agree. (`api.rs` is marked `#[rustfmt::skip]` instead: rustfmt is slow
/// on thousands of lines.)
fn rustfmt(source: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let program = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let mut child = Command::new(&program)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run {program} (install it with `rustup component add rustfmt`): {e}")
        })?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(source.as_bytes())
        .map_err(|e| format!("cannot write to {program}: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{program} failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{program} printed invalid UTF-8: {e}"))
}

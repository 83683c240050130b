//! The rewrites of progenitor's output, one module each, applied in [`apply_all`]'s order.
//!
//! Each pass finds its anchors through the [`Progenitor`] index from facts of the
//! [`ApiModel`]; an anchor the model says must exist and that is absent is a [`Missing`]
//! error naming the operation or type, so no pass can silently do nothing.

pub mod api_version;
pub mod build_urls;
pub mod builder_conversions;
pub mod builder_docs;
pub mod call_options;
pub mod check_inputs;
pub mod compact_deserialize;
pub mod conversion_errors;
pub mod create_defaults;
pub mod derive_eq;
pub mod expose_fields;
pub mod open_enums;
pub mod own_errors;
pub mod prelude;
pub mod route_requests;
pub mod tri_state;
pub mod trim_builders;

use super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// One rewrite: its name (as in error messages) and function.
pub type Pass = (
    &'static str,
    fn(&mut Progenitor, &ApiModel) -> Result<(), Missing>,
);

/// Every pass, in order. The order matters where passes touch the same code: requests are
/// routed (which removes progenitor's hook calls) before create defaults are inserted, and
/// every pass that finds `send` by name runs before `own_errors` renames it.
pub const PASSES: &[Pass] = &[
    (prelude::NAME, prelude::apply),
    (open_enums::NAME, open_enums::apply),
    (conversion_errors::NAME, conversion_errors::apply),
    (builder_docs::NAME, builder_docs::apply),
    (api_version::NAME, api_version::apply),
    (build_urls::NAME, build_urls::apply),
    (route_requests::NAME, route_requests::apply),
    (call_options::NAME, call_options::apply),
    (create_defaults::NAME, create_defaults::apply),
    (own_errors::NAME, own_errors::apply),
    (check_inputs::NAME, check_inputs::apply),
    (tri_state::NAME, tri_state::apply),
    (expose_fields::NAME, expose_fields::apply),
    (derive_eq::NAME, derive_eq::apply),
    (compact_deserialize::NAME, compact_deserialize::apply),
    (trim_builders::NAME, trim_builders::apply),
    (builder_conversions::NAME, builder_conversions::apply),
];

/// Applies every pass.
pub fn apply_all(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for (_, pass) in PASSES {
        pass(out, model)?;
    }
    Ok(())
}

/// The statements of the `send` method of `op`'s builder.
pub(crate) fn send_body<'a>(
    pass: &'static str,
    out: &'a mut Progenitor,
    op: &crate::model::Operation,
) -> Result<&'a mut Vec<syn::Stmt>, Missing> {
    out.builder_fn_mut(&op.builder_name, "send")
        .map(|f| &mut f.block.stmts)
        .ok_or_else(|| {
            Missing::operation(
                pass,
                op,
                format!("builder `{}` has no `send` method", op.builder_name),
            )
        })
}

/// Removes the derives whose last path segment is one of `names` (`::serde::Deserialize` for
/// `"Deserialize"`) from `attrs`; false when any of them was not derived.
pub(crate) fn remove_derives(attrs: &mut Vec<syn::Attribute>, names: &[&str]) -> bool {
    let mut found = vec![false; names.len()];
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(list) = attr.meta.require_list() else {
            continue;
        };
        let Ok(paths) = list.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<syn::Path> = paths
            .into_iter()
            .filter(|path| {
                let last = path.segments.last().map(|s| s.ident.to_string());
                match names.iter().position(|n| last.as_deref() == Some(*n)) {
                    Some(i) => {
                        found[i] = true;
                        false
                    }
                    None => true,
                }
            })
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    attrs.retain(|a| {
        !(a.path().is_ident("derive") && a.meta.require_list().is_ok_and(|l| l.tokens.is_empty()))
    });
    found.iter().all(|f| *f)
}

/// The identifier a `let` statement binds, if it binds a single name.
pub(crate) fn let_binding(stmt: &syn::Stmt) -> Option<&syn::Ident> {
    let syn::Stmt::Local(local) = stmt else {
        return None;
    };
    match &local.pat {
        syn::Pat::Ident(p) => Some(&p.ident),
        syn::Pat::Type(t) => match &*t.pat {
            syn::Pat::Ident(p) => Some(&p.ident),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A tiny spec run through progenitor, for the per-pass tests.

    use super::super::index::Progenitor;
    use crate::model::ApiModel;

    pub(crate) const SPEC: &str = r#"
openapi: 3.0.3
info: { title: T, version: v1 }
paths:
  /t/v1/zones/{zone}/things:
    get:
      operationId: ListThings
      parameters:
        - { in: path, name: zone, required: true, schema: { type: string } }
        - { in: query, name: page, schema: { type: integer, format: int32 } }
        - { in: query, name: page_size, schema: { type: integer, format: int32 } }
      responses:
        "200": { description: "", content: { application/json: { schema: { $ref: '#/components/schemas/scaleway.t.v1.ListThingsResponse' } } } }
    post:
      operationId: CreateThing
      x-name-prefix: thg
      parameters:
        - { in: path, name: zone, required: true, schema: { type: string } }
      requestBody:
        content: { application/json: { schema: { $ref: '#/components/schemas/scaleway.t.v1.CreateThingRequest' } } }
      responses:
        "200": { description: "", content: { application/json: { schema: { $ref: '#/components/schemas/scaleway.t.v1.Thing' } } } }
  /t/v1/zones/{zone}/things/{thing_id}:
    patch:
      operationId: UpdateThing
      parameters:
        - { in: path, name: zone, required: true, schema: { type: string } }
        - { in: path, name: thing_id, required: true, schema: { type: string } }
      requestBody:
        content: { application/json: { schema: { type: object, required: [label], properties: { label: { type: [string, "null"] }, size: { type: [integer, "null"] }, tags: { type: array, items: { type: string } } } } } }
      responses:
        "200": { description: "", content: { application/json: { schema: { $ref: '#/components/schemas/scaleway.t.v1.Thing' } } } }
components:
  schemas:
    scaleway.t.v1.Thing:
      type: object
      required: [id]
      properties:
        id: { type: string }
        state: { type: string, enum: [on, off] }
        kind: { $ref: '#/components/schemas/scaleway.t.v1.Thing.Kind' }
    scaleway.t.v1.Thing.Kind: { type: string, enum: [big, small, unknown] }
    scaleway.t.v1.CreateThingRequest:
      type: object
      required: [project, name]
      properties:
        name: { type: string }
        project: { type: string }
        labels: { $ref: '#/components/schemas/scaleway.t.v1.Labels' }
    scaleway.t.v1.Labels:
      type: object
      properties:
        color: { type: string }
    scaleway.t.v1.ListThingsResponse:
      type: object
      properties:
        things: { type: array, items: { $ref: '#/components/schemas/scaleway.t.v1.Thing' } }
        total_count: { type: integer, format: uint32 }
"#;

    /// The model and progenitor's raw output for [`SPEC`] (3.1 syntax included).
    pub(crate) fn generated() -> (Progenitor, ApiModel) {
        let mut doc: serde_json::Value =
            serde_yaml::from_str(&SPEC.replace("3.0.3", "3.1.0")).unwrap();
        crate::normalize::normalize(&mut doc, None).unwrap();
        let spec: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
        let model = ApiModel::from_spec(&spec).unwrap();
        let out = super::super::run_progenitor(&spec).unwrap().0;
        (out, model)
    }

    /// The Rust text of the generated file, to assert on the effect of a pass.
    pub(crate) fn text(out: &Progenitor) -> String {
        let file = &out.file;
        quote::quote!(#file).to_string()
    }
}

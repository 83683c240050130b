//! Rewrites applied to every spec before generation.
//!
//! Real Scaleway specs need a few fixes before progenitor can turn them into a usable client.
//! Each step below is generic (it applies to any spec, never to one API by name) and is
//! documented with the problem it solves; API-specific additions go through overlays
//! ([`apply_overlay`]), which live beside the specs in `specs/overlays/`.
//!
//! | step | problem |
//! |---|---|
//! | [`downgrade_openapi_version`] | progenitor reads OpenAPI 3.0.x; Scaleway publishes `3.1.0` documents that use no 3.1-only construct besides `type: [T, "null"]` |
//! | [`check_operation_ids`] | a missing or duplicate `operationId` would produce missing or clashing methods |
//! | [`operation_parameters`] | parameters declared on a path item or by `$ref` escape the per-operation steps (a path-level `zone` would get no default) |
//! | [`scalar_wrappers`] | protobuf wrapper messages (`google.protobuf.FloatValue`) written inline as `{type: object, properties: {value: number}}`, while the API sends the bare scalar (`"float_min": 0.1`) or `null`, which fails to decode |
//! | [`inline_primitive_refs`] | `$ref`s to primitive components (`google.protobuf.Int32Value`) become newtypes that callers must wrap by hand |
//! | [`coerce_string_defaults`] | `default: 'false'` on a boolean or `'50'` on an integer fails generation |
//! | [`typed_maps`] | maps written as `properties: {"<key>": S}` plus `additionalProperties: true` silently decode to empty maps |
//! | [`locality_params`] | inline zone/region enums become a closed enum per operation and reject new zones; a resource's `zone` is a bare string |
//! | [`declare_error_responses`] | without error responses every error is an opaque `UnexpectedResponse` |
//! | [`request_body_media_types`] | request bodies of type `*/*` (user data) or with several media types fail generation |
//! | [`inline_name_collisions`] | an inline enum or object of `Parent.prop` and a component `Parent.Prop` get the same Rust name (E0428) |
//! | [`runtime_filled_fields`] | the runtime fills a create request's owner (`project`/`organization`) and, with `x-name-prefix`, its `name`; required ones would stop the body from being built |
//! | [`update_bodies_can_clear_lists`] | optional lists of PATCH bodies are left out when empty, so an update could never clear tags |
//! | [`update_bodies_nullable_are_optional`] | a PATCH body property both required and nullable (a publisher quirk) would have to be sent on every update, as `null` at least, clearing the value |
//! | [`strip_package_prefix`] | component names repeat the API's package (`scaleway.marketplace.v2.LocalImage`), giving types such as `ScalewayMarketplaceV2LocalImage` |

use serde_json::{Map, Value, json};

use crate::error::{SpecProblem, pointer_push};

/// Component that stands for a zone parameter; generated code uses `scaleway_core::Zone`.
pub const ZONE_SCHEMA: &str = "scaleway.std.Zone";
/// Component that stands for a region parameter; generated code uses `scaleway_core::Region`.
pub const REGION_SCHEMA: &str = "scaleway.std.Region";
/// Component of error bodies; generated code uses `scaleway_core::ApiError`.
pub const ERROR_SCHEMA: &str = "scaleway.std.Error";

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Runs every step in order. `overlay` is the API's overlay document, if it has one.
pub fn normalize(doc: &mut Value, overlay: Option<&Value>) -> Result<(), SpecProblem> {
    if !doc.is_object() {
        return Err(SpecProblem::new(
            "",
            "an OpenAPI document must be a mapping",
        ));
    }
    downgrade_openapi_version(doc)?;
    if let Some(overlay) = overlay {
        apply_overlay(doc, overlay)?;
    }
    check_operation_ids(doc)?;
    operation_parameters(doc);
    scalar_wrappers(doc);
    inline_primitive_refs(doc)?;
    coerce_string_defaults(doc);
    typed_maps(doc);
    locality_params(doc);
    request_body_media_types(doc);
    declare_error_responses(doc);
    inline_name_collisions(doc);
    runtime_filled_fields(doc);
    update_bodies_can_clear_lists(doc);
    update_bodies_nullable_are_optional(doc);
    strip_package_prefix(doc);
    Ok(())
}

/// Every operation of the document: (pointer, method, path, operation object).
fn operations_mut(doc: &mut Value) -> Vec<(String, &mut Map<String, Value>)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let item_pointer = pointer_push("/paths", path);
            if let Some(item) = item.as_object_mut() {
                for (method, op) in item.iter_mut() {
                    if HTTP_METHODS.contains(&method.as_str())
                        && let Some(op) = op.as_object_mut()
                    {
                        out.push((pointer_push(&item_pointer, method), op));
                    }
                }
            }
        }
    }
    out
}

/// `openapi: 3.1.x` becomes `3.0.3`, and 3.1's `type: [T, "null"]` becomes `type: T` with
/// `nullable: true`. Any other version than 3.0.x or 3.1.x is refused.
pub fn downgrade_openapi_version(doc: &mut Value) -> Result<(), SpecProblem> {
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if version.starts_with("3.1.") {
        doc["openapi"] = json!("3.0.3");
        walk(doc, "", &mut |node, _| {
            if let Some(Value::Array(types)) = node.get("type") {
                let non_null: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                let nullable = non_null.len() < types.len();
                if non_null.len() == 1 {
                    node["type"] = non_null[0].clone();
                    if nullable {
                        node["nullable"] = json!(true);
                    }
                }
            }
            Ok(())
        })
    } else if version.starts_with("3.0.") {
        Ok(())
    } else {
        Err(SpecProblem::new(
            "/openapi",
            format!("unsupported OpenAPI version {version:?}: expected 3.0.x or 3.1.x"),
        ))
    }
}

/// Applies an overlay: what the live API has and the spec lacks, each entry with its evidence.
///
/// An overlay is a YAML mapping with any of three sections. Every entry of a section needs an
/// `evidence` string (where the recorded traffic, or the publisher's own documentation, shows
/// the live API doing it): the loader refuses an entry without one.
///
/// ```yaml
/// operations:                 # changes to operations of the spec, by operationId
///   ListLocalImages:
///     evidence: "recorded/scaleway-cli.jsonl line 29: GET /marketplace/v2/local-images?image_label=…"
///     add_parameters:         # parameters; one the operation already has is refused
///       - { in: query, name: image_label, schema: { type: string } }
/// schemas:                    # changes to schemas, keyed by a component name, optionally
///                             # followed by a JSON pointer inside it, or by a pointer from the
///                             # document root (starting with `/`)
///   scaleway.k8s.v1.Cluster/properties/autoscaler_config:
///     evidence: "…"
///     add_properties:         # properties of an object schema; an existing one is refused
///       log_level: { type: integer, format: uint32 }
///   scaleway.baremetal.v1.ServerPrivateNetwork:
///     evidence: "…"
///     define: { type: object, properties: { id: { type: string } } }   # a new component
/// paths:                      # operations the spec lacks: path, method, operation object
///   /k8s/v1/regions/{region}/pools/{pool_id}/set-labels:
///     put:
///       evidence: "…"
///       operationId: SetPoolLabels
///       responses: { "200": { … } }
/// ```
///
/// Schemas are written as in OpenAPI 3.0 (`nullable: true`): the overlay is applied after
/// [`downgrade_openapi_version`], and before every other step, which treat what it adds like
/// the rest of the spec. Problems point into the overlay (`(overlay)/schemas/…`); the loader
/// turns that into the overlay file's path.
pub fn apply_overlay(doc: &mut Value, overlay: &Value) -> Result<(), SpecProblem> {
    const SECTIONS: &str = "operations, schemas, paths";
    let Some(sections) = overlay.as_object() else {
        return Err(SpecProblem::new(
            "(overlay)",
            format!("an overlay must be a mapping with any of: {SECTIONS}"),
        ));
    };
    if sections.is_empty() {
        return Err(SpecProblem::new(
            "(overlay)",
            format!("an empty overlay: give any of {SECTIONS}, or delete the file"),
        ));
    }
    for (name, section) in sections {
        let pointer = pointer_push("(overlay)", name);
        let Some(entries) = section.as_object() else {
            return Err(SpecProblem::new(pointer, "expected a mapping"));
        };
        match name.as_str() {
            // Definitions first, so that later changes may extend a component defined here.
            "schemas" => {
                overlay_schemas(doc, &pointer, entries, true)?;
                overlay_schemas(doc, &pointer, entries, false)?;
            }
            "operations" => overlay_operations(doc, &pointer, entries)?,
            "paths" => overlay_paths(doc, &pointer, entries)?,
            other => {
                return Err(SpecProblem::new(
                    pointer,
                    format!("unknown overlay section {other:?} (supported: {SECTIONS})"),
                ));
            }
        }
    }
    Ok(())
}

/// An overlay entry as a mapping whose `evidence` is a non-empty string.
fn overlay_entry<'a>(
    entry: &'a Value,
    pointer: &str,
) -> Result<&'a Map<String, Value>, SpecProblem> {
    let Some(entry) = entry.as_object() else {
        return Err(SpecProblem::new(pointer, "expected a mapping"));
    };
    match entry.get("evidence") {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(entry),
        Some(_) => Err(SpecProblem::new(
            pointer_push(pointer, "evidence"),
            "`evidence` must be a non-empty string",
        )),
        None => Err(SpecProblem::new(
            pointer,
            "missing `evidence`: say where the live API shows this (recorded file, line and request)",
        )),
    }
}

fn overlay_operations(
    doc: &mut Value,
    section: &str,
    entries: &Map<String, Value>,
) -> Result<(), SpecProblem> {
    for (op_id, change) in entries {
        let change_pointer = pointer_push(section, op_id);
        let change = overlay_entry(change, &change_pointer)?;
        let mut targets = operations_mut(doc);
        let Some((_, op)) = targets
            .iter_mut()
            .find(|(_, op)| op.get("operationId").and_then(Value::as_str) == Some(op_id))
        else {
            return Err(SpecProblem::new(
                change_pointer,
                format!("no operation {op_id:?} in the spec"),
            ));
        };
        for (key, value) in change {
            let key_pointer = pointer_push(&change_pointer, key);
            match key.as_str() {
                "evidence" => {}
                "add_parameters" => {
                    let params = op.entry("parameters").or_insert_with(|| json!([]));
                    let (Some(params), Some(added)) = (params.as_array_mut(), value.as_array())
                    else {
                        return Err(SpecProblem::new(
                            key_pointer,
                            "expected a list of parameters",
                        ));
                    };
                    for (i, param) in added.iter().enumerate() {
                        let name = param.get("name").and_then(Value::as_str);
                        if params
                            .iter()
                            .any(|p| p.get("name").and_then(Value::as_str) == name)
                        {
                            return Err(SpecProblem::new(
                                format!("{key_pointer}/{i}"),
                                format!(
                                    "parameter {name:?} already exists; remove it from the overlay"
                                ),
                            ));
                        }
                        params.push(param.clone());
                    }
                }
                other => {
                    return Err(SpecProblem::new(
                        key_pointer,
                        format!(
                            "unknown operation change {other:?} (supported: evidence, add_parameters)"
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Where a `schemas` key points in the spec: `Component`, `Component/<pointer>` or `/<pointer>`.
fn overlay_schema_target(key: &str) -> String {
    if key.starts_with('/') {
        return key.to_owned();
    }
    let (component, inside) = key.split_once('/').map_or((key, ""), |(c, rest)| (c, rest));
    let mut pointer = pointer_push("/components/schemas", component);
    if !inside.is_empty() {
        pointer.push('/');
        pointer.push_str(inside);
    }
    pointer
}

/// One pass over the `schemas` section: the `define`s (`defining`), or every other change.
fn overlay_schemas(
    doc: &mut Value,
    section: &str,
    entries: &Map<String, Value>,
    defining: bool,
) -> Result<(), SpecProblem> {
    for (key, change) in entries {
        let change_pointer = pointer_push(section, key);
        let change = overlay_entry(change, &change_pointer)?;
        let target = overlay_schema_target(key);
        for (name, value) in change {
            let name_pointer = pointer_push(&change_pointer, name);
            match name.as_str() {
                "evidence" => {}
                "define" if !defining => {}
                "add_properties" if defining => {}
                "define" => {
                    if key.contains('/') {
                        return Err(SpecProblem::new(
                            name_pointer,
                            "`define` makes a component: key it by the component's name alone",
                        ));
                    }
                    if !value.is_object() {
                        return Err(SpecProblem::new(name_pointer, "expected a schema mapping"));
                    }
                    let schemas = schemas_mut(doc);
                    if schemas.contains_key(key) {
                        return Err(SpecProblem::new(
                            name_pointer,
                            format!(
                                "component {key:?} already exists at {target}; change it with add_properties instead"
                            ),
                        ));
                    }
                    schemas.insert(key.clone(), value.clone());
                }
                "add_properties" => {
                    let Some(added) = value.as_object() else {
                        return Err(SpecProblem::new(
                            name_pointer,
                            "expected a mapping of property names to schemas",
                        ));
                    };
                    let Some(schema) = doc.pointer_mut(&target).and_then(Value::as_object_mut)
                    else {
                        return Err(SpecProblem::new(
                            change_pointer,
                            format!("no schema at {target} in the spec"),
                        ));
                    };
                    let is_object = schema.get("type").and_then(Value::as_str) == Some("object")
                        || schema.contains_key("properties");
                    if !is_object {
                        return Err(SpecProblem::new(
                            name_pointer,
                            format!("the schema at {target} is not an object schema"),
                        ));
                    }
                    let properties = schema.entry("properties").or_insert_with(|| json!({}));
                    let Some(properties) = properties.as_object_mut() else {
                        return Err(SpecProblem::new(
                            name_pointer,
                            format!("{target}/properties is not a mapping"),
                        ));
                    };
                    for (property, property_schema) in added {
                        if properties.contains_key(property) {
                            return Err(SpecProblem::new(
                                pointer_push(&name_pointer, property),
                                format!(
                                    "property {property:?} already exists at {target}/properties; remove it from the overlay"
                                ),
                            ));
                        }
                        properties.insert(property.clone(), property_schema.clone());
                    }
                }
                other => {
                    return Err(SpecProblem::new(
                        name_pointer,
                        format!(
                            "unknown schema change {other:?} (supported: evidence, define, add_properties)"
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn overlay_paths(
    doc: &mut Value,
    section: &str,
    entries: &Map<String, Value>,
) -> Result<(), SpecProblem> {
    for (path, methods) in entries {
        let path_pointer = pointer_push(section, path);
        if !path.starts_with('/') {
            return Err(SpecProblem::new(path_pointer, "a path starts with `/`"));
        }
        let Some(methods) = methods.as_object() else {
            return Err(SpecProblem::new(
                path_pointer,
                "expected a mapping of HTTP methods to operations",
            ));
        };
        for (method, op) in methods {
            let op_pointer = pointer_push(&path_pointer, method);
            if !HTTP_METHODS.contains(&method.as_str()) {
                return Err(SpecProblem::new(
                    op_pointer,
                    format!("{method:?} is not an HTTP method (one of {HTTP_METHODS:?})"),
                ));
            }
            let mut op = overlay_entry(op, &op_pointer)?.clone();
            op.remove("evidence");
            let Some(op_id) = op.get("operationId").and_then(Value::as_str) else {
                return Err(SpecProblem::new(
                    op_pointer,
                    "an added operation needs an operationId",
                ));
            };
            if let Some((existing, _)) = operations_mut(doc)
                .into_iter()
                .find(|(_, o)| o.get("operationId").and_then(Value::as_str) == Some(op_id))
            {
                return Err(SpecProblem::new(
                    pointer_push(&op_pointer, "operationId"),
                    format!("operationId {op_id:?} is already used at {existing}"),
                ));
            }
            let paths = doc
                .as_object_mut()
                .expect("checked at the start of normalize")
                .entry("paths")
                .or_insert_with(|| json!({}));
            let Some(item) = paths
                .as_object_mut()
                .map(|paths| paths.entry(path.clone()).or_insert_with(|| json!({})))
                .and_then(Value::as_object_mut)
            else {
                return Err(SpecProblem::new(
                    op_pointer,
                    "the spec's `paths` (or this path item) is not a mapping",
                ));
            };
            if item.contains_key(method) {
                return Err(SpecProblem::new(
                    op_pointer,
                    format!(
                        "the spec already has {} {path}; change it under `operations` instead",
                        method.to_uppercase()
                    ),
                ));
            }
            item.insert(method.clone(), Value::Object(op));
        }
    }
    Ok(())
}

/// Every operation needs a unique `operationId`: it names the generated method.
pub fn check_operation_ids(doc: &mut Value) -> Result<(), SpecProblem> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for (pointer, op) in operations_mut(doc) {
        match op.get("operationId").and_then(Value::as_str) {
            None => return Err(SpecProblem::new(pointer, "operation has no operationId")),
            Some(id) => {
                if let Some((_, first)) = seen.iter().find(|(seen_id, _)| seen_id == id) {
                    return Err(SpecProblem::new(
                        pointer_push(&pointer, "operationId"),
                        format!("duplicate operationId {id:?}, first used at {first}"),
                    ));
                }
                seen.push((id.to_owned(), pointer));
            }
        }
    }
    Ok(())
}

/// Every operation lists all its parameters inline: those of its path item are copied in
/// (unless the operation declares one of the same name and location, which OpenAPI says
/// wins) and `$ref`s to `#/components/parameters/…` are replaced by the component.
pub fn operation_parameters(doc: &mut Value) {
    let components = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let resolve = |param: &Value| -> Value {
        param
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/parameters/"))
            .and_then(|name| components.get(name))
            .cloned()
            .unwrap_or_else(|| param.clone())
    };
    let key = |param: &Value| {
        (
            param.get("name").and_then(Value::as_str).map(str::to_owned),
            param.get("in").and_then(Value::as_str).map(str::to_owned),
        )
    };
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let shared: Vec<Value> = item
            .remove("parameters")
            .and_then(|p| p.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(resolve)
            .collect();
        for (method, op) in item.iter_mut() {
            if !HTTP_METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let mut own: Vec<Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|p| p.iter().map(resolve).collect())
                .unwrap_or_default();
            for param in &shared {
                if !own.iter().any(|o| key(o) == key(param)) {
                    own.push(param.clone());
                }
            }
            if !own.is_empty() {
                op.insert("parameters".into(), Value::Array(own));
            }
        }
    }
}

/// Depth-first visit of every mapping, with its JSON pointer; `visit` runs before children.
fn walk(
    node: &mut Value,
    pointer: &str,
    visit: &mut dyn FnMut(&mut Value, &str) -> Result<(), SpecProblem>,
) -> Result<(), SpecProblem> {
    match node {
        Value::Object(_) => {
            visit(node, pointer)?;
            if let Value::Object(map) = node {
                for (key, child) in map.iter_mut() {
                    walk(child, &pointer_push(pointer, key), visit)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, &format!("{pointer}/{i}"), visit)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn component_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// A schema with a scalar type and nothing that deserves a named Rust type.
fn is_primitive(schema: &Value) -> bool {
    matches!(
        schema.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    ) && schema.get("enum").is_none()
        && schema.get("$ref").is_none()
}

/// An object schema whose one property is `value` of a scalar type, and which says nothing else
/// (no `required`, no `additionalProperties`, no composition), is a protobuf wrapper message
/// (`google.protobuf.FloatValue`, `StringValue`, …): protobuf's JSON mapping writes it as the
/// bare scalar, or `null` when unset. It becomes that scalar schema, nullable, keeping the
/// wrapper's own description. Components of that shape become primitive, so the next step
/// inlines them.
pub fn scalar_wrappers(doc: &mut Value) {
    const DOCS: [&str; 4] = ["description", "title", "deprecated", "readOnly"];
    let _ = walk(doc, "", &mut |node, _| {
        let Some(map) = node.as_object() else {
            return Ok(());
        };
        if map.get("type").and_then(Value::as_str) != Some("object") {
            return Ok(());
        }
        let Some(props) = map.get("properties").and_then(Value::as_object) else {
            return Ok(());
        };
        let Some(inner) = props.get("value").filter(|_| props.len() == 1) else {
            return Ok(());
        };
        let says_more = map.keys().any(|key| {
            !matches!(
                key.as_str(),
                "type" | "properties" | "nullable" | "x-properties-order"
            ) && !DOCS.contains(&key.as_str())
        });
        if says_more || !is_primitive(inner) {
            return Ok(());
        }
        let mut scalar = inner.clone();
        for key in DOCS {
            if let Some(value) = map.get(key) {
                scalar[key] = value.clone();
            }
        }
        scalar["nullable"] = json!(true);
        *node = scalar;
        Ok(())
    });
}

/// Replaces `$ref`s to primitive components by a copy of the component, then drops those
/// components: typify would still emit an unused newtype for each.
pub fn inline_primitive_refs(doc: &mut Value) -> Result<(), SpecProblem> {
    let components = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    walk(doc, "", &mut |node, pointer| {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Ok(());
        };
        let Some(name) = component_name(reference) else {
            return Ok(());
        };
        let Some(target) = components.get(name) else {
            return Err(SpecProblem::new(
                pointer_push(pointer, "$ref"),
                format!("reference to undefined schema {reference:?}"),
            ));
        };
        if is_primitive(target) {
            let mut inlined = target.clone();
            if let (Some(inlined), Some(siblings)) = (inlined.as_object_mut(), node.as_object()) {
                for (key, value) in siblings {
                    if key != "$ref" {
                        inlined.insert(key.clone(), value.clone());
                    }
                }
            }
            *node = inlined;
        }
        Ok(())
    })?;
    let primitives: Vec<String> = components
        .iter()
        .filter(|(_, schema)| is_primitive(schema))
        .map(|(name, _)| name.clone())
        .collect();
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for name in primitives {
            schemas.shift_remove(&name);
        }
    }
    Ok(())
}

/// `default` given as a string on a boolean, integer or number schema becomes a value of that
/// type; a string that does not parse is dropped rather than guessed at.
pub fn coerce_string_defaults(doc: &mut Value) {
    let _ = walk(doc, "", &mut |node, _| {
        let (Some(ty), Some(Value::String(text))) = (
            node.get("type").and_then(Value::as_str),
            node.get("default"),
        ) else {
            return Ok(());
        };
        let coerced = match ty {
            "boolean" => text.parse::<bool>().ok().map(Value::from),
            "integer" => text.parse::<i64>().ok().map(Value::from),
            "number" => text
                .parse::<f64>()
                .ok()
                .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number)),
            _ => return Ok(()),
        };
        match coerced {
            Some(value) => node["default"] = value,
            None => {
                node.as_object_mut().map(|m| m.remove("default"));
            }
        }
        Ok(())
    });
}

/// `properties: {"<key>": S}` with `additionalProperties: true` (or absent) is how Scaleway
/// writes a map from strings to `S`; rewritten to `additionalProperties: S`.
pub fn typed_maps(doc: &mut Value) {
    let _ = walk(doc, "", &mut |node, _| {
        let Some(props) = node.get("properties").and_then(Value::as_object) else {
            return Ok(());
        };
        if props.len() != 1 {
            return Ok(());
        }
        let (key, value_schema) = props.iter().next().expect("one property");
        if !(key.starts_with('<') && key.ends_with('>')) {
            return Ok(());
        }
        if !matches!(
            node.get("additionalProperties"),
            None | Some(Value::Bool(true))
        ) {
            return Ok(());
        }
        let value_schema = value_schema.clone();
        let map = node.as_object_mut().expect("walk visits mappings");
        map.remove("properties");
        map.remove("required");
        map.insert("additionalProperties".into(), value_schema);
        map.insert("type".into(), json!("object"));
        Ok(())
    });
}

/// Parameters and string properties named `zone` or `region` refer to shared components that
/// the generator maps to `scaleway_core::Zone` and `scaleway_core::Region`: any well-formed
/// zone is accepted, the configured default can fill parameters, and a resource's zone reads
/// as a `Zone`.
pub fn locality_params(doc: &mut Value) {
    let mut used = (false, false);
    for (_, op) in operations_mut(doc) {
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            continue;
        };
        for param in params {
            let location = param.get("in").and_then(Value::as_str);
            if !matches!(location, Some("path" | "query")) {
                continue;
            }
            let target = match param.get("name").and_then(Value::as_str) {
                Some("zone") => {
                    used.0 = true;
                    ZONE_SCHEMA
                }
                Some("region") => {
                    used.1 = true;
                    REGION_SCHEMA
                }
                _ => continue,
            };
            let is_string = param
                .pointer("/schema/type")
                .and_then(Value::as_str)
                .is_some_and(|t| t == "string");
            if is_string {
                param["schema"] = json!({ "$ref": format!("#/components/schemas/{target}") });
            }
        }
    }
    // Properties too: a resource's `zone` reads as a `Zone`, not a string.
    let mut properties = Vec::new();
    walk(doc, "", &mut |node, pointer| {
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let target = match name.as_str() {
                    "zone" => ZONE_SCHEMA,
                    "region" => REGION_SCHEMA,
                    _ => continue,
                };
                let plain_string = prop.get("type").and_then(Value::as_str) == Some("string")
                    && prop.get("format").is_none()
                    && prop.get("pattern").is_none();
                if plain_string {
                    properties.push((
                        pointer_push(&pointer_push(pointer, "properties"), name),
                        target,
                    ));
                }
            }
        }
        Ok(())
    })
    .expect("the visitor never fails");
    for (pointer, target) in properties {
        let Some(prop) = doc.pointer_mut(&pointer) else {
            continue;
        };
        used.0 |= target == ZONE_SCHEMA;
        used.1 |= target == REGION_SCHEMA;
        let mut reference =
            json!({ "allOf": [{ "$ref": format!("#/components/schemas/{target}") }] });
        // Keep what the property says of itself; `nullable` stays meaningful next to `allOf`.
        for key in ["description", "nullable"] {
            if let Some(value) = prop.get(key) {
                reference[key] = value.clone();
            }
        }
        *prop = reference;
    }
    let schemas = schemas_mut(doc);
    if used.0 {
        schemas.insert(
            ZONE_SCHEMA.into(),
            json!({ "type": "string", "description": "An availability zone, e.g. `fr-par-1`." }),
        );
    }
    if used.1 {
        schemas.insert(
            REGION_SCHEMA.into(),
            json!({ "type": "string", "description": "A region, e.g. `fr-par`." }),
        );
    }
}

fn schemas_mut(doc: &mut Value) -> &mut Map<String, Value> {
    let components = doc
        .as_object_mut()
        .expect("checked at the start of normalize")
        .entry("components")
        .or_insert_with(|| json!({}));
    if !components.is_object() {
        *components = json!({});
    }
    let schemas = components
        .as_object_mut()
        .expect("made a mapping above")
        .entry("schemas")
        .or_insert_with(|| json!({}));
    if !schemas.is_object() {
        *schemas = json!({});
    }
    schemas.as_object_mut().expect("made a mapping above")
}

/// Media types progenitor can send.
const SENDABLE: [&str; 5] = [
    "application/json",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "text/plain",
    "text/x-markdown",
];

/// Gives every request body exactly one media type progenitor can send: JSON when offered;
/// otherwise `text/plain` for a string schema and `application/octet-stream` for anything else.
pub fn request_body_media_types(doc: &mut Value) {
    for (_, op) in operations_mut(doc) {
        let Some(content) = op
            .get_mut("requestBody")
            .and_then(|b| b.get_mut("content"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if content.len() == 1 && content.keys().all(|k| SENDABLE.contains(&k.as_str())) {
            continue;
        }
        if let Some(json) = content.get("application/json").cloned() {
            content.clear();
            content.insert("application/json".into(), json);
            continue;
        }
        let Some((_, media)) = content.iter().next() else {
            continue;
        };
        // Scaleway declares user data `type: string, format: binary` under `*/*` but documents
        // it as text/plain, which is what the API expects.
        let is_string = media.pointer("/schema/type").and_then(Value::as_str) == Some("string");
        let replacement = if is_string {
            ("text/plain", json!({ "schema": { "type": "string" } }))
        } else {
            (
                "application/octet-stream",
                json!({ "schema": { "type": "string", "format": "binary" } }),
            )
        };
        content.clear();
        content.insert(replacement.0.into(), replacement.1);
    }
}

/// Declares Scaleway's error body on `4XX` and `5XX` of every operation that declares no error
/// response of its own, so that calls return it decoded with the status.
pub fn declare_error_responses(doc: &mut Value) {
    let error = json!({
        "description": "Error",
        "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{ERROR_SCHEMA}") } } }
    });
    let mut any = false;
    for (_, op) in operations_mut(doc) {
        let responses = op.entry("responses").or_insert_with(|| json!({}));
        let Some(responses) = responses.as_object_mut() else {
            continue;
        };
        let declares_errors = responses
            .keys()
            .any(|code| code == "default" || code.starts_with('4') || code.starts_with('5'));
        if !declares_errors {
            responses.insert("4XX".into(), error.clone());
            responses.insert("5XX".into(), error.clone());
            any = true;
        }
    }
    if any {
        schemas_mut(doc).insert(
            ERROR_SCHEMA.into(),
            json!({ "type": "object", "description": "An error answered by the API." }),
        );
    }
}

/// A name reduced to what survives Rust naming: lower-case letters and digits.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether typify gives an inline schema a type of its own (enums and objects do; a lone
/// `allOf: [$ref]`, Scaleway's way to make a reference nullable or documented, does not).
fn gets_own_type(schema: &Value) -> bool {
    let lone_ref = schema
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|all| all.len() == 1 && all[0].get("$ref").is_some())
        && schema.get("properties").is_none();
    schema.get("$ref").is_none()
        && !lone_ref
        && (schema.get("enum").is_some()
            || schema.get("properties").is_some()
            || schema.get("oneOf").is_some()
            || schema.get("allOf").is_some()
            || schema.get("anyOf").is_some())
}

/// `schema` without its documentation, to compare two schemas for equivalence.
fn without_docs(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "description" | "title" | "example" | "x-enum-descriptions"
                    )
                })
                .map(|(k, v)| (k.clone(), without_docs(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_docs).collect()),
        other => other.clone(),
    }
}

/// typify names the inline type of property `prop` of component `Parent` `ParentProp`, which
/// clashes with a component named `Parent.Prop`. An inline schema equal to that component (but
/// for documentation) is replaced by a `$ref` to it; a different one moves to a new component
/// `Parent.PropInline…` so that both keep a type.
pub fn inline_name_collisions(doc: &mut Value) {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let by_key: std::collections::BTreeMap<String, String> = schemas
        .keys()
        .map(|name| (name_key(name), name.clone()))
        .collect();
    // (component, property, replacement $ref, new component to add)
    let mut changes: Vec<(String, String, String, Option<Value>)> = Vec::new();
    let mut taken: std::collections::BTreeSet<String> = by_key.keys().cloned().collect();
    for (parent, schema) in schemas {
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (prop, prop_schema) in props {
            if !gets_own_type(prop_schema) {
                continue;
            }
            let Some(twin) = by_key.get(&name_key(&format!("{parent}{prop}"))) else {
                continue;
            };
            if twin == parent {
                continue;
            }
            let twin_schema = &schemas[twin];
            if without_docs(twin_schema) == without_docs(prop_schema) {
                changes.push((parent.clone(), prop.clone(), twin.clone(), None));
            } else {
                let mut n = 1;
                let fresh = loop {
                    let candidate = format!(
                        "{twin}Inline{}",
                        if n == 1 { String::new() } else { n.to_string() }
                    );
                    if taken.insert(name_key(&candidate)) {
                        break candidate;
                    }
                    n += 1;
                };
                changes.push((
                    parent.clone(),
                    prop.clone(),
                    fresh,
                    Some(prop_schema.clone()),
                ));
            }
        }
    }
    let schemas = schemas_mut(doc);
    for (parent, prop, target, new_component) in changes {
        if let Some(schema) = new_component {
            schemas.insert(target.clone(), schema);
        }
        if let Some(slot) = schemas
            .get_mut(&parent)
            .and_then(|p| p.get_mut("properties"))
            .and_then(|p| p.get_mut(&prop))
        {
            let description = slot.get("description").cloned();
            let mut reference = json!({ "$ref": format!("#/components/schemas/{target}") });
            // OpenAPI 3.0 ignores siblings of `$ref`; wrap to keep the property's own text.
            if let Some(description) = description {
                reference = json!({ "allOf": [reference], "description": description });
            }
            *slot = reference;
        }
    }
}

/// The JSON request body schemas of the `method` operations, as pointers to the schema itself
/// (the component a `$ref` names, or the inline schema), each with whether its operation has
/// an `x-name-prefix`.
fn json_body_schemas(doc: &mut Value, method: &str) -> Vec<(String, bool)> {
    let suffix = format!("/{method}");
    let mut out = Vec::new();
    for (pointer, op) in operations_mut(doc) {
        if !pointer.ends_with(&suffix) {
            continue;
        }
        let Some(schema) = op
            .get("requestBody")
            .and_then(|body| body.pointer("/content/application~1json/schema"))
        else {
            continue;
        };
        let target = match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => match component_name(reference) {
                Some(name) => pointer_push("/components/schemas", name),
                None => continue,
            },
            None => format!("{pointer}/requestBody/content/application~1json/schema"),
        };
        out.push((target, op.contains_key("x-name-prefix")));
    }
    out
}

/// Fields of a POST body that the runtime fills when missing are made optional.
pub fn runtime_filled_fields(doc: &mut Value) {
    for (target, names) in json_body_schemas(doc, "post") {
        if let Some(Value::Array(required)) =
            doc.pointer_mut(&target).and_then(|s| s.get_mut("required"))
        {
            required.retain(|field| {
                !(["project", "organization", "project_id", "organization_id"]
                    .iter()
                    .any(|f| field == f)
                    || (names && field == "name"))
            });
        }
    }
}

/// Optional array properties of PATCH bodies become nullable, which typify turns into
/// `Option<Vec<T>>`: `None` leaves the list unchanged, `Some(vec![])` clears it.
pub fn update_bodies_can_clear_lists(doc: &mut Value) {
    for (target, _) in json_body_schemas(doc, "patch") {
        let Some(schema) = doc.pointer_mut(&target) else {
            continue;
        };
        let required: Vec<Value> = schema
            .get("required")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (name, prop) in props.iter_mut() {
            if prop.get("type").and_then(Value::as_str) == Some("array")
                && !required.contains(&Value::from(name.as_str()))
            {
                prop["nullable"] = json!(true);
            }
        }
    }
}

/// Nullable properties of PATCH bodies are never required: an update leaves out what it does
/// not change. (Scaleway's 3.1 specs list e.g. `name` of `UpdateInstanceGroup` as required and
/// nullable; its official SDKs treat it as optional.)
pub fn update_bodies_nullable_are_optional(doc: &mut Value) {
    for (target, _) in json_body_schemas(doc, "patch") {
        let Some(schema) = doc.pointer_mut(&target).and_then(Value::as_object_mut) else {
            continue;
        };
        let nullable: Vec<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, prop)| prop.get("nullable").and_then(Value::as_bool) == Some(true))
            .map(|(name, _)| name.clone())
            .collect();
        if let Some(Value::Array(required)) = schema.get_mut("required") {
            required.retain(|field| !nullable.iter().any(|n| field == n));
            if required.is_empty() {
                schema.remove("required");
            }
        }
    }
}

/// Renames the components of the API's own protobuf package (the most common
/// `scaleway.<api>.<version>.` prefix) to their short names, updating every `$ref`. A short
/// name already taken by another component keeps its full name.
pub fn strip_package_prefix(doc: &mut Value) {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for name in schemas.keys() {
        let parts: Vec<&str> = name.splitn(4, '.').collect();
        if parts.len() == 4 && parts[0] == "scaleway" {
            *counts.entry(parts[..3].join(".")).or_default() += 1;
        }
    }
    let Some(package) = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(p, _)| format!("{p}."))
    else {
        return;
    };
    let mut renames = std::collections::BTreeMap::new();
    for name in schemas.keys() {
        if let Some(short) = name.strip_prefix(&package)
            && !schemas.contains_key(short)
            && !renames.values().any(|taken: &String| taken == short)
        {
            renames.insert(name.clone(), short.to_owned());
        }
    }
    if renames.is_empty() {
        return;
    }
    let schemas = schemas_mut(doc);
    let old = std::mem::take(schemas);
    for (name, schema) in old {
        let name = renames.get(&name).cloned().unwrap_or(name);
        schemas.insert(name, schema);
    }
    let _ = walk(doc, "", &mut |node, _| {
        if let Some(Value::String(reference)) = node.get_mut("$ref")
            && let Some(short) = component_name(reference).and_then(|n| renames.get(n))
        {
            *reference = format!("#/components/schemas/{short}");
        }
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).unwrap()
    }

    const BASE: &str = r#"
openapi: 3.1.0
info: { title: T, version: v1 }
components:
  schemas:
    google.protobuf.Int32Value: { type: integer, format: int32, nullable: true }
paths:
  /things/{zone}:
    get:
      operationId: ListThings
      parameters:
        - { in: path, name: zone, required: true, schema: { type: string, enum: [fr-par-1, nl-ams-1] } }
        - { in: query, name: page, schema: { $ref: '#/components/schemas/google.protobuf.Int32Value' } }
      responses:
        "200": { description: "" }
"#;

    #[test]
    fn downgrades_3_1_and_nullable_type_arrays() {
        let mut d = doc(
            "openapi: 3.1.0\ninfo: {title: T, version: v}\npaths: {}\ncomponents: {schemas: {A: {type: [string, 'null']}}}",
        );
        downgrade_openapi_version(&mut d).unwrap();
        assert_eq!(d["openapi"], "3.0.3");
        assert_eq!(
            d.pointer("/components/schemas/A").unwrap(),
            &json!({"type": "string", "nullable": true})
        );
        let mut d = doc("openapi: 2.0\n");
        assert_eq!(
            downgrade_openapi_version(&mut d).unwrap_err().pointer,
            "/openapi"
        );
    }

    #[test]
    fn zone_enum_becomes_the_shared_zone_component() {
        let mut d = doc(BASE);
        normalize(&mut d, None).unwrap();
        let zone = d
            .pointer("/paths/~1things~1{zone}/get/parameters/0/schema")
            .unwrap();
        assert_eq!(
            zone,
            &json!({"$ref": "#/components/schemas/scaleway.std.Zone"})
        );
        assert!(d.pointer("/components/schemas/scaleway.std.Zone").is_some());
    }

    #[test]
    fn primitive_refs_are_inlined() {
        let mut d = doc(BASE);
        inline_primitive_refs(&mut d).unwrap();
        let page = d
            .pointer("/paths/~1things~1{zone}/get/parameters/1/schema")
            .unwrap();
        assert_eq!(page["type"], "integer");
        assert!(page.get("$ref").is_none());
        assert!(
            d.pointer("/components/schemas/google.protobuf.Int32Value")
                .is_none()
        );
    }

    #[test]
    fn scalar_wrapper_objects_become_nullable_scalars() {
        let mut d = json!({"components": {"schemas": {
            "Setting": {"type": "object", "properties": {
                "float_min": {"type": "object", "description": "Minimum.", "properties": {"value": {"type": "number", "format": "float"}}, "x-properties-order": ["value"]},
                "pair": {"type": "object", "properties": {"value": {"type": "string"}, "unit": {"type": "string"}}},
                "kept": {"type": "object", "required": ["value"], "properties": {"value": {"type": "string"}}},
                "nested": {"type": "object", "properties": {"value": {"type": "object", "properties": {}}}}
            }},
            "google.protobuf.StringValue": {"type": "object", "properties": {"value": {"type": "string"}}},
            "Uses": {"type": "object", "properties": {"label": {"$ref": "#/components/schemas/google.protobuf.StringValue"}}}
        }}});
        let before = d.clone();
        scalar_wrappers(&mut d);
        let props = d.pointer("/components/schemas/Setting/properties").unwrap();
        assert_eq!(
            props["float_min"],
            json!({"type": "number", "format": "float", "description": "Minimum.", "nullable": true})
        );
        for untouched in ["pair", "kept", "nested"] {
            assert_eq!(
                props[untouched],
                before["components"]["schemas"]["Setting"]["properties"][untouched]
            );
        }
        // A wrapper component becomes primitive, then is inlined where it is used.
        inline_primitive_refs(&mut d).unwrap();
        assert_eq!(
            d.pointer("/components/schemas/Uses/properties/label")
                .unwrap(),
            &json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn dangling_ref_is_reported_with_its_pointer() {
        let mut d = doc(&BASE.replace("google.protobuf.Int32Value'", "Missing'"));
        let err = inline_primitive_refs(&mut d).unwrap_err();
        assert_eq!(
            err.pointer,
            "/paths/~1things~1{zone}/get/parameters/1/schema/$ref"
        );
    }

    #[test]
    fn error_responses_are_declared_once() {
        let mut d = doc(BASE);
        normalize(&mut d, None).unwrap();
        let responses = d.pointer("/paths/~1things~1{zone}/get/responses").unwrap();
        assert!(responses.get("4XX").is_some() && responses.get("5XX").is_some());
        let before = d.clone();
        declare_error_responses(&mut d);
        assert_eq!(d, before, "a second run changes nothing");
    }

    #[test]
    fn missing_and_duplicate_operation_ids_are_reported() {
        let mut d = doc(&BASE.replace("operationId: ListThings", "summary: none"));
        let err = normalize(&mut d, None).unwrap_err();
        assert_eq!(err.pointer, "/paths/~1things~1{zone}/get");
        let twice =
            format!("{BASE}    delete:\n      operationId: ListThings\n      responses: {{}}\n");
        let err = normalize(&mut doc(&twice), None).unwrap_err();
        assert_eq!(err.pointer, "/paths/~1things~1{zone}/delete/operationId");
        assert!(err.message.contains("duplicate operationId \"ListThings\""));
    }

    #[test]
    fn package_prefix_is_stripped_unless_the_short_name_is_taken() {
        let mut d = json!({
            "components": {"schemas": {
                "scaleway.api.v1.Server": {"properties": {"ip": {"$ref": "#/components/schemas/scaleway.api.v1.Ip"}}},
                "scaleway.api.v1.Ip": {"type": "object"},
                "scaleway.api.v1.Taken": {"type": "object"},
                "Taken": {"type": "string"},
                "scaleway.std.Zone": {"type": "string"}
            }}
        });
        strip_package_prefix(&mut d);
        let names: Vec<&String> = d
            .pointer("/components/schemas")
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            names,
            [
                "Server",
                "Ip",
                "scaleway.api.v1.Taken",
                "Taken",
                "scaleway.std.Zone"
            ]
        );
        assert_eq!(
            d.pointer("/components/schemas/Server/properties/ip/$ref")
                .unwrap(),
            "#/components/schemas/Ip"
        );
    }

    #[test]
    fn wildcard_request_bodies_become_text() {
        let mut d = doc(&format!(
            "{BASE}    put:\n      operationId: SetData\n      requestBody:\n        content:\n          '*/*': {{ schema: {{ type: string, format: binary }} }}\n      responses: {{}}\n"
        ));
        request_body_media_types(&mut d);
        let content = d
            .pointer("/paths/~1things~1{zone}/put/requestBody/content")
            .unwrap();
        assert_eq!(
            content,
            &json!({"text/plain": {"schema": {"type": "string"}}})
        );
    }

    #[test]
    fn inline_twins_of_components_are_deduplicated_or_renamed() {
        let mut d = json!({"components": {"schemas": {
            "Group": {"type": "object", "properties": {
                "mode": {"type": "string", "enum": ["a", "b"], "description": "inline"},
                "kind": {"type": "string", "enum": ["x"]},
                "name": {"type": "string"}
            }},
            "Group.Mode": {"type": "string", "enum": ["a", "b"]},
            "Group.Kind": {"type": "string", "enum": ["x", "y"]}
        }}});
        inline_name_collisions(&mut d);
        let props = d.pointer("/components/schemas/Group/properties").unwrap();
        assert_eq!(
            props["mode"],
            json!({"allOf": [{"$ref": "#/components/schemas/Group.Mode"}], "description": "inline"})
        );
        assert_eq!(
            props["kind"],
            json!({"$ref": "#/components/schemas/Group.KindInline"})
        );
        assert_eq!(
            d.pointer("/components/schemas/Group.KindInline").unwrap(),
            &json!({"type": "string", "enum": ["x"]})
        );
        assert_eq!(props["name"], json!({"type": "string"}));
    }

    #[test]
    fn owner_and_prefixed_name_become_optional_in_create_bodies() {
        let mut d = doc(&format!(
            "{BASE}    post:\n      operationId: CreateThing\n      x-name-prefix: thg\n      requestBody:\n        content:\n          application/json: {{ schema: {{ $ref: '#/components/schemas/Body' }} }}\n      responses: {{}}\n"
        ));
        d["components"]["schemas"]["Body"] =
            json!({"type": "object", "required": ["name", "project", "size"], "properties": {}});
        runtime_filled_fields(&mut d);
        assert_eq!(
            d.pointer("/components/schemas/Body/required").unwrap(),
            &json!(["size"])
        );
    }

    #[test]
    fn optional_lists_of_update_bodies_become_nullable() {
        let mut d = doc(&format!(
            "{BASE}    patch:\n      operationId: UpdateThing\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [ids]\n              properties:\n                tags: {{ type: array, items: {{ type: string }} }}\n                ids: {{ type: array, items: {{ type: string }} }}\n      responses: {{}}\n"
        ));
        update_bodies_can_clear_lists(&mut d);
        let props = d.pointer("/paths/~1things~1{zone}/patch/requestBody/content/application~1json/schema/properties").unwrap();
        assert_eq!(props["tags"]["nullable"], true);
        assert!(
            props["ids"].get("nullable").is_none(),
            "a required list is always sent"
        );
    }

    #[test]
    fn path_item_and_referenced_parameters_move_into_each_operation() {
        let mut d = json!({
            "paths": {"/t/{zone}/{id}": {
                "parameters": [{"in": "path", "name": "zone", "required": true, "schema": {"type": "string"}},
                               {"$ref": "#/components/parameters/Id"}],
                "get": {"operationId": "GetT"},
                "delete": {"operationId": "DeleteT", "parameters": [{"in": "path", "name": "id", "required": true, "schema": {"type": "integer"}}]}
            }},
            "components": {"parameters": {"Id": {"in": "path", "name": "id", "required": true, "schema": {"type": "string"}}}}
        });
        operation_parameters(&mut d);
        let item = &d["paths"]["/t/{zone}/{id}"];
        assert!(item.get("parameters").is_none());
        let names = |op: &str| -> Vec<(String, String)> {
            item[op]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_owned(),
                        p["schema"]["type"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        };
        assert_eq!(
            names("get"),
            [
                ("zone".into(), "string".into()),
                ("id".into(), "string".into())
            ]
        );
        // The operation's own `id` wins over the path item's.
        assert_eq!(
            names("delete"),
            [
                ("id".into(), "integer".into()),
                ("zone".into(), "string".into())
            ]
        );
    }

    #[test]
    fn nullable_update_properties_are_not_required() {
        let mut d = doc(&format!(
            "{BASE}    patch:\n      operationId: UpdateThing\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [name, size]\n              properties:\n                name: {{ type: string, nullable: true }}\n                size: {{ type: integer }}\n      responses: {{}}\n"
        ));
        update_bodies_nullable_are_optional(&mut d);
        let schema = d
            .pointer("/paths/~1things~1{zone}/patch/requestBody/content/application~1json/schema")
            .unwrap();
        assert_eq!(schema["required"], json!(["size"]));
    }

    #[test]
    fn string_defaults_take_the_schema_type() {
        let mut d = json!({"a": {"type": "boolean", "default": "false"}, "b": {"type": "integer", "default": "50"}, "c": {"type": "integer", "default": "x"}, "d": {"type": "string", "default": "50"}});
        coerce_string_defaults(&mut d);
        assert_eq!(
            d,
            json!({"a": {"type": "boolean", "default": false}, "b": {"type": "integer", "default": 50}, "c": {"type": "integer"}, "d": {"type": "string", "default": "50"}})
        );
    }

    #[test]
    fn placeholder_property_maps_become_typed_maps() {
        let mut d = json!({"servers": {"type": "object", "properties": {"<serverKey>": {"$ref": "#/x"}}, "additionalProperties": true}});
        typed_maps(&mut d);
        assert_eq!(
            d["servers"],
            json!({"type": "object", "additionalProperties": {"$ref": "#/x"}})
        );
    }

    /// The problem an overlay gives, as `pointer: message`.
    fn overlay_problem(overlay: &str) -> String {
        let mut d = doc(BASE);
        let problem = apply_overlay(&mut d, &doc(overlay)).unwrap_err();
        format!("{}: {}", problem.pointer, problem.message)
    }

    #[test]
    fn overlay_adds_parameters_and_rejects_unknown_operations() {
        let mut d = doc(BASE);
        let overlay = doc(
            "operations:\n  ListThings:\n    evidence: recorded line 1\n    add_parameters:\n      - { in: query, name: label, schema: { type: string } }\n",
        );
        apply_overlay(&mut d, &overlay).unwrap();
        assert_eq!(
            d.pointer("/paths/~1things~1{zone}/get/parameters/2/name")
                .unwrap(),
            "label"
        );
        let again = apply_overlay(&mut d, &overlay).unwrap_err();
        assert_eq!(
            again.pointer,
            "(overlay)/operations/ListThings/add_parameters/0"
        );
        assert!(again.message.contains("already exists"));
        assert_eq!(
            overlay_problem("operations:\n  Nope: { evidence: x }\n"),
            "(overlay)/operations/Nope: no operation \"Nope\" in the spec"
        );
        assert!(
            overlay_problem("operations:\n  ListThings: { evidence: x, rename: y }\n")
                .starts_with("(overlay)/operations/ListThings/rename: unknown operation change")
        );
    }

    #[test]
    fn overlay_entries_require_evidence() {
        assert!(
            overlay_problem("operations:\n  ListThings:\n    add_parameters: []\n")
                .starts_with("(overlay)/operations/ListThings: missing `evidence`")
        );
        assert_eq!(
            overlay_problem("schemas:\n  Thing:\n    evidence: ' '\n    define: {}\n"),
            "(overlay)/schemas/Thing/evidence: `evidence` must be a non-empty string"
        );
        assert!(
            overlay_problem("paths:\n  /x:\n    get: { operationId: GetX }\n")
                .starts_with("(overlay)/paths/~1x/get: missing `evidence`")
        );
        assert!(
            overlay_problem("extras: {}\n")
                .starts_with("(overlay)/extras: unknown overlay section")
        );
        assert!(overlay_problem("{}").contains("empty overlay"));
    }

    #[test]
    fn overlay_defines_components_and_adds_properties_inside_schemas() {
        let mut d = doc(BASE);
        d["components"]["schemas"]["Thing"] = json!({"type": "object", "properties": {
            "config": {"type": "object", "properties": {"a": {"type": "string"}}}
        }});
        let overlay = doc(r#"
schemas:
  Thing/properties/config:
    evidence: recorded line 2 answers config.level
    add_properties:
      level: { type: integer }
  Part:
    evidence: recorded line 3
    define: { type: object, properties: { id: { type: string } } }
  /components/schemas/Part:
    evidence: recorded line 4
    add_properties:
      name: { type: string }
  Thing:
    evidence: recorded line 5
    add_properties:
      parts: { type: array, items: { $ref: '#/components/schemas/Part' } }
"#);
        apply_overlay(&mut d, &overlay).unwrap();
        let schemas = d.pointer("/components/schemas").unwrap();
        assert_eq!(
            schemas["Thing"]["properties"]["config"]["properties"]["level"],
            json!({"type": "integer"})
        );
        assert_eq!(
            schemas["Part"],
            json!({"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}})
        );
        assert!(schemas["Thing"]["properties"]["parts"].is_object());

        let mut again = d.clone();
        let problem = apply_overlay(&mut again, &overlay).unwrap_err();
        assert_eq!(problem.pointer, "(overlay)/schemas/Part/define");
        assert!(problem.message.contains("already exists"), "{problem:?}");
        let problem = apply_overlay(
            &mut d,
            &doc("schemas:\n  Thing/properties/config:\n    evidence: x\n    add_properties: { a: { type: string } }\n"),
        )
        .unwrap_err();
        assert_eq!(
            format!("{}: {}", problem.pointer, problem.message),
            "(overlay)/schemas/Thing~1properties~1config/add_properties/a: property \"a\" already exists at /components/schemas/Thing/properties/config/properties; remove it from the overlay"
        );
        assert_eq!(
            overlay_problem(
                "schemas:\n  Missing:\n    evidence: x\n    add_properties: { a: { type: string } }\n"
            ),
            "(overlay)/schemas/Missing: no schema at /components/schemas/Missing in the spec"
        );
        assert!(
            overlay_problem("schemas:\n  google.protobuf.Int32Value:\n    evidence: x\n    add_properties: { a: {} }\n")
                .ends_with("is not an object schema")
        );
    }

    #[test]
    fn overlay_adds_operations_the_spec_lacks() {
        let mut d = doc(BASE);
        let overlay = doc(r#"
paths:
  /things/{zone}/{id}/labels:
    put:
      evidence: recorded line 6 (PUT /things/fr-par-1/t1/labels)
      operationId: SetLabels
      parameters:
        - { in: path, name: zone, required: true, schema: { type: string } }
        - { in: path, name: id, required: true, schema: { type: string } }
      responses: { "200": { description: OK } }
"#);
        apply_overlay(&mut d, &overlay).unwrap();
        let op = d
            .pointer("/paths/~1things~1{zone}~1{id}~1labels/put")
            .unwrap();
        assert_eq!(op["operationId"], "SetLabels");
        assert!(
            op.get("evidence").is_none(),
            "evidence stays in the overlay"
        );
        normalize(&mut d, None).unwrap();

        let problem = apply_overlay(&mut d, &overlay).unwrap_err();
        assert_eq!(
            problem.pointer,
            "(overlay)/paths/~1things~1{zone}~1{id}~1labels/put/operationId"
        );
        assert!(
            problem.message.contains("already used at /paths/"),
            "{problem:?}"
        );
        assert!(
            overlay_problem(
                "paths:\n  /things/{zone}:\n    get: { evidence: x, operationId: Other }\n"
            )
            .ends_with(
                "the spec already has GET /things/{zone}; change it under `operations` instead"
            )
        );
        assert!(
            overlay_problem("paths:\n  /x:\n    fetch: { evidence: x, operationId: X }\n")
                .starts_with("(overlay)/paths/~1x/fetch: \"fetch\" is not an HTTP method")
        );
        assert!(
            overlay_problem("paths:\n  /x:\n    get: { evidence: x }\n")
                .ends_with("an added operation needs an operationId")
        );
    }
}

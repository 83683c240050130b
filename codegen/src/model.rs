//! The typed model of an API that every generated extra is rendered from.
//!
//! Built from the normalized spec (openapiv3 types plus Scaleway's vendor extensions), never
//! from progenitor's output: progenitor's code is only where the rewrites find their anchors
//! (see [`crate::generate::index`]). Each fact here has one source in the spec:
//!
//! | fact | source |
//! |---|---|
//! | method, path, operationId | the path item and operation |
//! | method and builder names | progenitor's naming rule applied to the operationId ([`progenitor_names`]) |
//! | path parameters, locality | `in: path` parameters; a required parameter whose schema is the shared zone/region component |
//! | request and response bodies | `requestBody` and the first 2XX response with JSON content |
//! | pagination | a `page` query parameter and one array (or map) property in the response |
//! | waiter | the `x-waiter` extension of a get operation |
//! | create defaults | owner properties of a POST body; `x-name-prefix` for names |
//! | nullable update fields | nullable scalar properties of a PATCH body |

use heck::{ToPascalCase, ToSnakeCase};
use openapiv3::{
    MediaType, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema, SchemaKind,
    StatusCode, Type,
};

use crate::error::{SpecProblem, pointer_push};
use crate::normalize::{REGION_SCHEMA, ZONE_SCHEMA};

/// Everything generation knows about one API.
#[derive(Clone, Debug)]
pub struct ApiModel {
    /// Operations in spec order.
    pub operations: Vec<Operation>,
    /// Rust names of the component schemas that are string enums (typify's naming rule).
    pub string_enums: Vec<String>,
}

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    fn from_spec(name: &str) -> Option<Method> {
        Some(match name {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    /// Upper case, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// Whether an operation is addressed to a zone or to a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locality {
    /// A `zone` parameter (`scaleway_core::Zone`).
    Zone,
    /// A `region` parameter (`scaleway_core::Region`).
    Region,
}

impl Locality {
    /// The parameter name, which is also the builder setter: `zone` or `region`.
    pub fn parameter(self) -> &'static str {
        match self {
            Locality::Zone => "zone",
            Locality::Region => "region",
        }
    }
}

/// One operation of the spec.
#[derive(Clone, Debug)]
pub struct Operation {
    /// `operationId` as written in the spec.
    pub operation_id: String,
    /// The HTTP method.
    pub method: Method,
    /// Path template, e.g. `/instance/v1/zones/{zone}/servers/{server_id}`.
    pub path: String,
    /// JSON pointer of the operation in the spec, for error messages.
    pub pointer: String,
    /// Name of the client method progenitor generates (and our wrapper forwards).
    pub method_name: String,
    /// Name of progenitor's builder struct for the operation.
    pub builder_name: String,
    /// The spec's one-line summary.
    pub summary: Option<String>,
    /// The spec's description (Markdown).
    pub description: Option<String>,
    /// Every parameter, path parameters first in template order, then the others in spec order.
    pub parameters: Vec<Param>,
    /// The required zone or region parameter, which the wrapper pre-fills with the default.
    pub locality: Option<Locality>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// Whether a success response carries a JSON body (decoded into a generated type).
    pub json_response: bool,
    /// What a success response carries.
    pub response: ResponseKind,
    /// How the list is paged, for list operations.
    pub pagination: Option<Pagination>,
    /// The waiter polling this (get) operation.
    pub waiter: Option<Waiter>,
    /// What the runtime fills in a create request.
    pub create_defaults: Option<CreateDefaults>,
    /// Wire names of nullable scalar properties of a PATCH body: `null` there removes a value.
    pub nullable_update_fields: Vec<String>,
}

/// The body of an operation's success response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseKind {
    /// JSON, decoded into a generated type.
    Json,
    /// No body (e.g. `204`).
    Empty,
    /// Anything else, handed over as a byte stream.
    Bytes,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
}

/// One parameter of an operation.
#[derive(Clone, Debug)]
pub struct Param {
    /// Name on the wire.
    pub name: String,
    /// Name of the builder setter (progenitor's snake-case rule).
    pub setter: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Path parameters always are.
    pub required: bool,
    /// The spec's description.
    pub description: Option<String>,
    /// Array-valued query parameters are repeated once per value.
    pub is_array: bool,
}

/// A request body.
#[derive(Clone, Debug)]
pub struct Body {
    /// Sent as JSON (else as text or bytes).
    pub json: bool,
    /// Wire names of the top-level properties of a JSON object body.
    pub properties: Vec<String>,
    /// A JSON object without declared properties (Scaleway's "empty body" of actions): it is
    /// sent as `{}` unless the caller sets one.
    pub empty_object: bool,
}

/// How a list operation is paged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// Setter of the page-size parameter (`page_size` or `per_page`), when there is one.
    pub page_size: Option<String>,
    /// Wire name of the response property holding the items.
    pub items: String,
    /// The items are a map keyed by name rather than an array.
    pub items_are_map: bool,
    /// The response carries `total_count`; otherwise the total comes from `X-Total-Count`.
    pub total_in_body: bool,
}

/// `x-waiter`: poll a get operation until the state at `state` is one of `terminal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiter {
    /// Resource name, for `wait_for_<name>`.
    pub name: String,
    /// JSON pointer of the state in the response, e.g. `/server/state`.
    pub state: String,
    /// States that end the wait.
    pub terminal: Vec<String>,
    /// States that mean the operation failed: they end the wait at once, with an error.
    pub failure: Vec<String>,
    /// Setters of every path parameter but the locality, in template order.
    pub ids: Vec<String>,
}

/// Owner field of a create request and the configured value that fills it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerDefault {
    /// Wire name of the field filled (`project`, `project_id`, `organization`, …).
    pub field: String,
    /// Filled from the default project (else the default organization, whose id is also its
    /// default project's), or from the default organization only.
    pub from_project: bool,
}

/// What the runtime fills in a create request the caller left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateDefaults {
    /// Every owner field of the body: when the caller set any of them, none is filled.
    pub owner_fields: Vec<String>,
    /// The owner field filled, if the body has one.
    pub owner: Option<OwnerDefault>,
    /// `x-name-prefix`: a missing `name` gets `<prefix>-<adjective>-<noun>`.
    pub name_prefix: Option<String>,
}

/// Owner fields a create body may have, in the order they are preferred for filling.
const OWNER_FIELDS: [(&str, bool); 4] = [
    ("project", true),
    ("project_id", true),
    ("organization", false),
    ("organization_id", false),
];

/// progenitor's name for an operation's client method and builder struct (its `sanitize`:
/// heck's snake case of the operationId, then Pascal case of that for the builder).
pub fn progenitor_names(operation_id: &str) -> (String, String) {
    let method = sanitize_ident(operation_id, |s| s.to_snake_case());
    let builder = sanitize_ident(&method, |s| s.to_pascal_case());
    (method, builder)
}

/// progenitor's identifier rule: drop quotes, turn non-identifier characters into `-`, apply
/// the case, prefix `_` to a leading non-letter and suffix `_` to a keyword.
pub fn sanitize_ident(input: &str, case: impl Fn(&str) -> String) -> String {
    let cleaned: String = input
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = case(&cleaned);
    if out.is_empty() {
        out = case("x");
    }
    if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out = format!("_{out}");
    }
    if syn::parse_str::<syn::Ident>(&out).is_err() {
        out.push('_');
    }
    out
}

impl ApiModel {
    /// Builds the model of a normalized spec.
    pub fn from_spec(spec: &OpenAPI) -> Result<ApiModel, SpecProblem> {
        let resolver = Resolver { spec };
        let mut operations = Vec::new();
        for (path, item) in spec.paths.iter() {
            let item_pointer = pointer_push("/paths", path);
            let ReferenceOr::Item(item) = item else {
                return Err(SpecProblem {
                    pointer: item_pointer,
                    message: "path items given by $ref are not supported".into(),
                });
            };
            for (method_name, op) in item.iter() {
                let pointer = pointer_push(&item_pointer, method_name);
                let method = Method::from_spec(method_name).ok_or_else(|| SpecProblem {
                    pointer: pointer.clone(),
                    message: format!("unknown HTTP method {method_name:?}"),
                })?;
                let operation_id = op.operation_id.clone().ok_or_else(|| SpecProblem {
                    pointer: pointer.clone(),
                    message: "operation has no operationId".into(),
                })?;
                let mut params = Vec::new();
                for param in item.parameters.iter().chain(&op.parameters) {
                    params.push(resolver.parameter(param, &pointer)?);
                }
                operations.push(build_operation(
                    &resolver,
                    OperationSource {
                        operation_id,
                        method,
                        path: path.clone(),
                        pointer,
                        op,
                        params,
                    },
                )?);
            }
        }
        let mut string_enums: Vec<String> = spec
            .components
            .iter()
            .flat_map(|c| &c.schemas)
            .filter(|(_, schema)| {
                matches!(schema, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(s)), .. }) if !s.enumeration.is_empty())
            })
            .map(|(name, _)| sanitize_ident(name, |s| s.to_pascal_case()))
            .collect();
        string_enums.sort();
        Ok(ApiModel {
            operations,
            string_enums,
        })
    }

    /// The operation whose client method is `name`.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.method_name == name)
    }
}

struct OperationSource<'a> {
    operation_id: String,
    method: Method,
    path: String,
    pointer: String,
    op: &'a openapiv3::Operation,
    params: Vec<&'a openapiv3::Parameter>,
}

fn build_operation(
    resolver: &Resolver<'_>,
    src: OperationSource<'_>,
) -> Result<Operation, SpecProblem> {
    let (method_name, builder_name) = progenitor_names(&src.operation_id);
    let template_order = path_template_names(&src.path);
    let mut parameters: Vec<Param> = Vec::new();
    let mut locality = None;
    for param in &src.params {
        let (location, data) = match param {
            Parameter::Path { parameter_data, .. } => (ParamLocation::Path, parameter_data),
            Parameter::Query { parameter_data, .. } => (ParamLocation::Query, parameter_data),
            Parameter::Header { parameter_data, .. } => (ParamLocation::Header, parameter_data),
            Parameter::Cookie { .. } => continue,
        };
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => Some(schema),
            openapiv3::ParameterSchemaOrContent::Content(_) => None,
        };
        let required = data.required || location == ParamLocation::Path;
        if required && let Some(ReferenceOr::Reference { reference }) = schema {
            let kind = match reference.strip_prefix("#/components/schemas/") {
                Some(ZONE_SCHEMA) => Some(Locality::Zone),
                Some(REGION_SCHEMA) => Some(Locality::Region),
                _ => None,
            };
            if kind.is_some() {
                locality = kind;
            }
        }
        let is_array = schema
            .and_then(|s| resolver.schema(s))
            .is_some_and(|s| matches!(s.schema_kind, SchemaKind::Type(Type::Array(_))));
        parameters.push(Param {
            setter: sanitize_ident(&data.name, |s| s.to_snake_case()),
            name: data.name.clone(),
            location,
            required,
            description: data.description.clone(),
            is_array,
        });
    }
    for name in &template_order {
        if !parameters
            .iter()
            .any(|p| p.location == ParamLocation::Path && &p.name == name)
        {
            return Err(SpecProblem {
                pointer: src.pointer.clone(),
                message: format!(
                    "operation {}: path template names {{{name}}} but no path parameter declares it",
                    src.operation_id
                ),
            });
        }
    }
    // Path parameters in template order, then the rest as declared.
    parameters.sort_by_key(|p| match p.location {
        ParamLocation::Path => template_order
            .iter()
            .position(|n| *n == p.name)
            .unwrap_or(usize::MAX),
        _ => usize::MAX,
    });

    let body = match &src.op.request_body {
        Some(body) => Some(resolver.body(body, &src.pointer)?),
        None => None,
    };
    let body_schema = src
        .op
        .request_body
        .as_ref()
        .and_then(|b| resolver.request_body(b))
        .and_then(|b| b.content.get("application/json"))
        .and_then(|m| m.schema.as_ref())
        .and_then(|s| resolver.schema(s));
    let response_schema = success_json(resolver, &src.op.responses);
    let response = match response_schema {
        Some(_) => ResponseKind::Json,
        None if success_has_content(resolver, &src.op.responses) => ResponseKind::Bytes,
        None => ResponseKind::Empty,
    };

    let pagination = pagination(resolver, &parameters, response_schema);
    let waiter = waiter(&src, &parameters)?;
    let create_defaults = match (src.method, body_schema) {
        (Method::Post, Some(schema)) => create_defaults(src.op, resolver, schema),
        _ => None,
    };
    let nullable_update_fields = match (src.method, body_schema) {
        (Method::Patch, Some(schema)) => nullable_scalars(resolver, schema),
        _ => Vec::new(),
    };
    Ok(Operation {
        operation_id: src.operation_id,
        method: src.method,
        path: src.path,
        pointer: src.pointer,
        method_name,
        builder_name,
        summary: src.op.summary.clone(),
        description: src.op.description.clone(),
        parameters,
        locality,
        body,
        json_response: response_schema.is_some(),
        response,
        pagination,
        waiter,
        create_defaults,
        nullable_update_fields,
    })
}

/// `{name}` placeholders of a path template, in order.
fn path_template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// The 2XX responses, in status order (a `2XX` range counts as 200).
fn successes(responses: &openapiv3::Responses) -> Vec<&ReferenceOr<Response>> {
    let mut codes: Vec<(u16, &ReferenceOr<Response>)> = responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(n) if (200..300).contains(n) => Some((*n, r)),
            StatusCode::Range(2) => Some((200, r)),
            _ => None,
        })
        .collect();
    codes.sort_by_key(|(code, _)| *code);
    codes.into_iter().map(|(_, r)| r).collect()
}

/// The schema of the first 2XX response with a JSON body.
fn success_json<'a>(
    resolver: &Resolver<'a>,
    responses: &'a openapiv3::Responses,
) -> Option<&'a Schema> {
    successes(responses).into_iter().find_map(|response| {
        let response = resolver.response(response)?;
        let media: &MediaType = response.content.get("application/json")?;
        resolver.schema(media.schema.as_ref()?)
    })
}

/// Whether the first 2XX response declares a body (of any media type).
fn success_has_content(resolver: &Resolver<'_>, responses: &openapiv3::Responses) -> bool {
    successes(responses)
        .first()
        .and_then(|r| resolver.response(r))
        .is_some_and(|r| !r.content.is_empty())
}

fn pagination(
    resolver: &Resolver<'_>,
    params: &[Param],
    response: Option<&Schema>,
) -> Option<Pagination> {
    let query = |name: &str| {
        params
            .iter()
            .any(|p| p.location == ParamLocation::Query && p.name == name)
    };
    if !query("page") {
        return None;
    }
    let SchemaKind::Type(Type::Object(object)) = &response?.schema_kind else {
        return None;
    };
    let mut arrays = Vec::new();
    let mut maps = Vec::new();
    for (name, prop) in &object.properties {
        let Some(prop) = resolver.boxed_schema(prop) else {
            continue;
        };
        match &prop.schema_kind {
            SchemaKind::Type(Type::Array(_)) => arrays.push(name.clone()),
            SchemaKind::Type(Type::Object(map))
                if map.properties.is_empty() && map.additional_properties.is_some() =>
            {
                maps.push(name.clone())
            }
            _ => {}
        }
    }
    let (items, items_are_map) = match (arrays.as_slice(), maps.as_slice()) {
        ([items], _) => (items.clone(), false),
        ([], [items]) => (items.clone(), true),
        _ => return None,
    };
    Some(Pagination {
        page_size: ["page_size", "per_page"]
            .into_iter()
            .find(|name| query(name))
            .map(str::to_owned),
        items,
        items_are_map,
        total_in_body: object.properties.contains_key("total_count"),
    })
}

fn waiter(src: &OperationSource<'_>, params: &[Param]) -> Result<Option<Waiter>, SpecProblem> {
    let Some(extension) = src.op.extensions.get("x-waiter") else {
        return Ok(None);
    };
    let pointer = pointer_push(&src.pointer, "x-waiter");
    let text = |key: &str| {
        extension
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .ok_or_else(|| SpecProblem {
                pointer: pointer_push(&pointer, key),
                message: format!(
                    "operation {}: x-waiter needs a string `{key}`",
                    src.operation_id
                ),
            })
    };
    let terminal: Vec<String> = extension
        .get("terminal")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    if terminal.is_empty() {
        return Err(SpecProblem {
            pointer: pointer_push(&pointer, "terminal"),
            message: format!(
                "operation {}: x-waiter needs a non-empty list of terminal states",
                src.operation_id
            ),
        });
    }
    let failure: Vec<String> = extension
        .get("failure")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    if let Some(both) = failure.iter().find(|f| terminal.contains(f)) {
        return Err(SpecProblem {
            pointer: pointer_push(&pointer, "failure"),
            message: format!(
                "operation {}: x-waiter lists {both:?} as both terminal and failure",
                src.operation_id
            ),
        });
    }
    Ok(Some(Waiter {
        name: text("name")?,
        state: text("state")?,
        terminal,
        failure,
        ids: params
            .iter()
            .filter(|p| {
                p.location == ParamLocation::Path && !matches!(p.name.as_str(), "zone" | "region")
            })
            .map(|p| p.setter.clone())
            .collect(),
    }))
}

fn create_defaults(
    op: &openapiv3::Operation,
    resolver: &Resolver<'_>,
    body: &Schema,
) -> Option<CreateDefaults> {
    let SchemaKind::Type(Type::Object(object)) = &body.schema_kind else {
        return None;
    };
    let is_string = |name: &str| {
        object
            .properties
            .get(name)
            .and_then(|p| resolver.boxed_schema(p))
            .is_some_and(|s| matches!(s.schema_kind, SchemaKind::Type(Type::String(_))))
    };
    let owner_fields: Vec<String> = OWNER_FIELDS
        .iter()
        .filter(|(name, _)| is_string(name))
        .map(|(name, _)| (*name).to_owned())
        .collect();
    let owner = OWNER_FIELDS
        .iter()
        .find(|(name, _)| owner_fields.iter().any(|f| f == name))
        .map(|(name, from_project)| OwnerDefault {
            field: (*name).to_owned(),
            from_project: *from_project,
        });
    let name_prefix = op
        .extensions
        .get("x-name-prefix")
        .and_then(|p| p.as_str())
        .filter(|_| is_string("name"))
        .map(str::to_owned);
    (owner.is_some() || name_prefix.is_some()).then_some(CreateDefaults {
        owner_fields,
        owner,
        name_prefix,
    })
}

fn nullable_scalars(resolver: &Resolver<'_>, body: &Schema) -> Vec<String> {
    let SchemaKind::Type(Type::Object(object)) = &body.schema_kind else {
        return Vec::new();
    };
    object
        .properties
        .iter()
        .filter(|(_, prop)| {
            // Only inline scalars: a `$ref` names a shared type whose nullability is its own.
            let ReferenceOr::Item(schema) = prop else {
                return false;
            };
            let _ = resolver;
            let scalar = match &schema.schema_kind {
                SchemaKind::Type(Type::String(s)) => s.enumeration.is_empty(),
                SchemaKind::Type(Type::Integer(_) | Type::Number(_) | Type::Boolean(_)) => true,
                _ => false,
            };
            scalar && schema.schema_data.nullable
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Follows local `$ref`s.
struct Resolver<'a> {
    spec: &'a OpenAPI,
}

impl<'a> Resolver<'a> {
    fn component<T>(
        &self,
        reference: &str,
        prefix: &str,
        map: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Option<&'a T> {
        let name = reference.strip_prefix(prefix)?;
        match map(self.spec.components.as_ref()?).get(name)? {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => self.component(reference, prefix, map),
        }
    }

    fn schema(&self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => {
                self.component(reference, "#/components/schemas/", |c| &c.schemas)
            }
        }
    }

    fn boxed_schema(&self, schema: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => {
                self.component(reference, "#/components/schemas/", |c| &c.schemas)
            }
        }
    }

    fn response(&self, response: &'a ReferenceOr<Response>) -> Option<&'a Response> {
        match response {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => {
                self.component(reference, "#/components/responses/", |c| &c.responses)
            }
        }
    }

    fn request_body(&self, body: &'a ReferenceOr<RequestBody>) -> Option<&'a RequestBody> {
        match body {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => {
                self.component(reference, "#/components/requestBodies/", |c| {
                    &c.request_bodies
                })
            }
        }
    }

    fn parameter(
        &self,
        param: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<&'a Parameter, SpecProblem> {
        match param {
            ReferenceOr::Item(item) => Ok(item),
            ReferenceOr::Reference { reference } => self
                .component(reference, "#/components/parameters/", |c| &c.parameters)
                .ok_or_else(|| SpecProblem {
                    pointer: pointer_push(pointer, "parameters"),
                    message: format!("unresolved parameter reference {reference}"),
                }),
        }
    }

    fn body(&self, body: &'a ReferenceOr<RequestBody>, pointer: &str) -> Result<Body, SpecProblem> {
        let body = self.request_body(body).ok_or_else(|| SpecProblem {
            pointer: pointer_push(pointer, "requestBody"),
            message: "unresolved request body reference".into(),
        })?;
        let json = body.content.get("application/json");
        let object = json
            .and_then(|m| m.schema.as_ref())
            .and_then(|s| self.schema(s))
            .and_then(|schema| match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => Some(object),
                _ => None,
            });
        Ok(Body {
            json: json.is_some(),
            properties: object
                .map(|o| o.properties.keys().cloned().collect())
                .unwrap_or_default(),
            empty_object: object
                .is_some_and(|o| o.properties.is_empty() && o.additional_properties.is_none()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> ApiModel {
        let mut doc: serde_json::Value = serde_yaml::from_str(yaml).unwrap();
        crate::normalize::normalize(&mut doc, None).unwrap();
        let spec: OpenAPI = serde_json::from_value(doc).unwrap();
        ApiModel::from_spec(&spec).unwrap()
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: { title: T, version: v1 }
paths:
  /t/v1/zones/{zone}/servers/{server_id}/nics/{nic_id}:
    get:
      operationId: GetNIC
      x-waiter: { name: nic, state: /nic/state, terminal: [available], failure: [syncing_error] }
      parameters:
        - { in: path, name: zone, required: true, schema: { type: string } }
        - { in: path, name: nic_id, required: true, schema: { type: string } }
        - { in: path, name: server_id, required: true, schema: { type: string } }
      responses:
        "200": { description: "", content: { application/json: { schema: { type: object, properties: { nic: { type: object } } } } } }
  /t/v1/regions/{region}/things:
    get:
      operationId: ListThings
      parameters:
        - { in: path, name: region, required: true, schema: { type: string } }
        - { in: query, name: page, schema: { type: integer } }
        - { in: query, name: per_page, schema: { type: integer } }
        - { in: query, name: tags, schema: { type: array, items: { type: string } } }
      responses:
        "200": { description: "", content: { application/json: { schema: { type: object, properties: { things: { type: array, items: { type: string } } } } } } }
    post:
      operationId: CreateThing
      x-name-prefix: thg
      parameters:
        - { in: path, name: region, required: true, schema: { type: string } }
      requestBody:
        content: { application/json: { schema: { type: object, required: [name, project], properties: { name: { type: string }, project: { type: string }, organization: { type: string } } } } }
      responses:
        "200": { description: "", content: { application/json: { schema: { type: object } } } }
    patch:
      operationId: UpdateThing
      parameters:
        - { in: path, name: region, required: true, schema: { type: string } }
      requestBody:
        content: { application/json: { schema: { type: object, properties: { name: { type: string, nullable: true }, size: { type: integer }, ip: { type: string, nullable: true }, state: { type: string, nullable: true, enum: [a, b] } } } } }
      responses:
        "204": { description: "" }
"#;

    #[test]
    fn names_follow_progenitor() {
        assert_eq!(
            progenitor_names("GetNIC"),
            ("get_nic".into(), "GetNic".into())
        );
        assert_eq!(
            progenitor_names("ListServers-V2"),
            ("list_servers_v2".into(), "ListServersV2".into())
        );
        assert_eq!(progenitor_names("type"), ("type_".into(), "Type".into()));
    }

    #[test]
    fn waiter_takes_every_path_id_in_template_order() {
        let model = model(SPEC);
        let op = model.operation("get_nic").unwrap();
        assert_eq!(op.locality, Some(Locality::Zone));
        let waiter = op.waiter.as_ref().unwrap();
        assert_eq!(waiter.ids, ["server_id", "nic_id"]);
        assert_eq!(waiter.state, "/nic/state");
        assert_eq!(waiter.failure, ["syncing_error"]);
        assert_eq!(
            (op.method, op.builder_name.as_str()),
            (Method::Get, "GetNic")
        );
        assert!(op.json_response);
    }

    #[test]
    fn list_with_per_page_is_paged_with_header_total() {
        let model = model(SPEC);
        let op = model.operation("list_things").unwrap();
        assert_eq!(op.locality, Some(Locality::Region));
        assert_eq!(
            op.pagination,
            Some(Pagination {
                page_size: Some("per_page".into()),
                items: "things".into(),
                items_are_map: false,
                total_in_body: false,
            })
        );
        assert!(
            op.parameters
                .iter()
                .find(|p| p.name == "tags")
                .unwrap()
                .is_array
        );
    }

    #[test]
    fn create_fills_project_first_and_names_with_the_prefix() {
        let model = model(SPEC);
        let defaults = model
            .operation("create_thing")
            .unwrap()
            .create_defaults
            .clone()
            .unwrap();
        assert_eq!(defaults.owner_fields, ["project", "organization"]);
        assert_eq!(
            defaults.owner,
            Some(OwnerDefault {
                field: "project".into(),
                from_project: true
            })
        );
        assert_eq!(defaults.name_prefix.as_deref(), Some("thg"));
    }

    #[test]
    fn patch_nullable_scalars_but_not_enums() {
        let model = model(SPEC);
        let op = model.operation("update_thing").unwrap();
        assert_eq!(op.nullable_update_fields, ["name", "ip"]);
        assert!(!op.json_response);
    }

    #[test]
    fn a_path_placeholder_without_parameter_is_an_error() {
        let mut doc: serde_json::Value = serde_yaml::from_str(SPEC).unwrap();
        doc["paths"]["/t/v1/zones/{zone}/servers/{server_id}/nics/{nic_id}"]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
            .pop();
        let spec: OpenAPI = serde_json::from_value(doc).unwrap();
        let err = ApiModel::from_spec(&spec).unwrap_err();
        assert!(
            err.message.contains("GetNIC") && err.message.contains("{server_id}"),
            "{err:?}"
        );
    }
}

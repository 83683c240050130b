//! What the runtime knows about each generated operation.

/// One operation of a generated API crate, from its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    /// Method name on the client, e.g. `create_server` (progenitor's operation id).
    pub name: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template, e.g. `/instance/v1/zones/{zone}/servers/{server_id}`.
    pub path: &'static str,
    /// Owner fields the JSON body accepts (`project`, `organization`, `project_id`,
    /// `organization_id`): the runtime fills the configured default when the caller set none.
    pub owner_fields: &'static [&'static str],
    /// Prefix of the random name given to a create request without `name` (`srv`, `vol`, …).
    pub name_prefix: Option<&'static str>,
}

/// Finds `name` in a table sorted by name, as generated crates emit it.
pub fn find(table: &'static [OperationMeta], name: &str) -> Option<&'static OperationMeta> {
    table
        .binary_search_by(|op| op.name.cmp(name))
        .ok()
        .map(|i| &table[i])
}

/// Readable random names: `<prefix>-<adjective>-<noun>`, like the `scw` CLI gives.
pub fn random_name(prefix: &str) -> String {
    const ADJECTIVES: [&str; 24] = [
        "brave", "calm", "clever", "eager", "fancy", "gentle", "happy", "jolly", "keen", "lucid",
        "merry", "nimble", "proud", "quiet", "rapid", "sharp", "shiny", "sleek", "smart", "sunny",
        "swift", "tidy", "vivid", "witty",
    ];
    const NOUNS: [&str; 24] = [
        "ampere", "babbage", "curie", "darwin", "euler", "faraday", "gauss", "hopper", "hypatia",
        "kepler", "lamarr", "lovelace", "maxwell", "meitner", "newton", "noether", "pascal",
        "planck", "raman", "shannon", "tesla", "turing", "volta", "wu",
    ];
    let adjective = ADJECTIVES[rand::random_range(0..ADJECTIVES.len())];
    let noun = NOUNS[rand::random_range(0..NOUNS.len())];
    format!("{prefix}-{adjective}-{noun}")
}

#[cfg(test)]
mod tests {
    use super::*;

    static TABLE: [OperationMeta; 2] = [
        OperationMeta {
            name: "create_server",
            method: "POST",
            path: "/s",
            owner_fields: &["project"],
            name_prefix: Some("srv"),
        },
        OperationMeta {
            name: "list_servers",
            method: "GET",
            path: "/s",
            owner_fields: &[],
            name_prefix: None,
        },
    ];

    #[test]
    fn lookup_and_names() {
        assert_eq!(find(&TABLE, "list_servers").unwrap().method, "GET");
        assert!(find(&TABLE, "delete_server").is_none());
        let name = random_name("srv");
        let parts: Vec<&str> = name.split('-').collect();
        assert_eq!(parts.len(), 3, "{name}");
        assert_eq!(parts[0], "srv");
    }
}

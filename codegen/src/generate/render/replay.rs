//! The `replay` module, behind the crate's `replay` feature: decodes a recorded body with the
//! operation's generated type and encodes it back, for `cargo xtask replay`. Self-contained, so
//! that the published runtime carries no replay-only code.

use proc_macro2::TokenStream;
use quote::quote;

use super::Types;
use crate::model::ApiModel;

pub(crate) fn module(model: &ApiModel, types: &Types) -> TokenStream {
    let mut arms = Vec::new();
    for op in &model.operations {
        let name = &op.method_name;
        let resolved = &types[name];
        if let Some(ty) = &resolved.response {
            arms.push(quote!((#name, false) => Some(roundtrip::<#ty>(text)),));
        }
        if let Some(ty) = &resolved.body {
            arms.push(quote!((#name, true) => Some(roundtrip::<#ty>(text)),));
        }
    }
    quote! {
        /// Wire-format self-check used by `cargo xtask replay`; not part of the API.
        #[cfg(feature = "replay")]
        pub mod replay {
            #[allow(unused_imports)]
            use super::types;

            /// A body that did not decode: the path of the failing field and why.
            pub type Failure = (::std::string::String, ::std::string::String);

            /// Decodes `text` as the request body (`request`) or success response of
            /// `operation` and encodes it back; `None` when that body is not typed JSON.
            pub fn check(operation: &str, request: bool, text: &str) -> Option<Result<::serde_json::Value, Failure>> {
                match (operation, request) {
                    #(#arms)*
                    _ => None,
                }
            }

            #[allow(dead_code)]
            fn roundtrip<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(text: &str) -> Result<::serde_json::Value, Failure> {
                let deserializer = &mut ::serde_json::Deserializer::from_str(text);
                let parsed: T = ::serde_path_to_error::deserialize(deserializer)
                    .map_err(|e| (e.path().to_string(), e.inner().to_string()))?;
                ::serde_json::to_value(&parsed).map_err(|e| (".".to_owned(), format!("cannot encode back: {e}")))
            }
        }
    }
}

//! Hand-written conveniences over the generated clients: what the seeds describe as the
//! purpose of the Marketplace API (finding the image id to boot), and server power actions that
//! wait for their outcome.

use std::fmt;

use scaleway_core::{WaitError, WaitOptions, Zone};

use crate::Client;

/// Error of a call through the generated clients.
pub type CallError = scaleway_core::Error;

/// What to look for with [`Client::find_local_image`].
#[cfg(feature = "marketplace-v2")]
#[derive(Clone, Debug, Default)]
pub struct ImageQuery {
    /// Marketplace label, e.g. `ubuntu_jammy`.
    pub label: String,
    /// Zone to find the image in; the configured zone when `None`.
    pub zone: Option<Zone>,
    /// Only images compatible with this commercial type, e.g. `DEV1-S`.
    pub commercial_type: Option<String>,
    /// Only images of this architecture, e.g. `x86_64` or `arm64`.
    pub arch: Option<String>,
    /// Only images of this type (local volume or block storage).
    pub image_type: Option<crate::marketplace_v2::types::LocalImageType>,
}

#[cfg(feature = "marketplace-v2")]
impl ImageQuery {
    /// Images with this label.
    pub fn label(label: impl Into<String>) -> Self {
        ImageQuery {
            label: label.into(),
            ..ImageQuery::default()
        }
    }

    /// In this zone.
    pub fn zone(mut self, zone: Zone) -> Self {
        self.zone = Some(zone);
        self
    }

    /// Compatible with this commercial type.
    pub fn commercial_type(mut self, commercial_type: impl Into<String>) -> Self {
        self.commercial_type = Some(commercial_type.into());
        self
    }

    /// Of this architecture.
    pub fn arch(mut self, arch: impl Into<String>) -> Self {
        self.arch = Some(arch.into());
        self
    }

    /// Of this image type.
    pub fn image_type(mut self, image_type: crate::marketplace_v2::types::LocalImageType) -> Self {
        self.image_type = Some(image_type);
        self
    }

    fn accepts(&self, image: &crate::marketplace_v2::types::LocalImage) -> bool {
        self.commercial_type
            .as_ref()
            .is_none_or(|t| image.compatible_commercial_types.iter().any(|c| c == t))
            && self.arch.as_ref().is_none_or(|a| image.arch == *a)
            && self.image_type.as_ref().is_none_or(|t| image.type_ == *t)
    }
}

/// Why a helper failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum HelperError {
    /// An API call failed.
    Api(CallError),
    /// No local image matches the query.
    NoImage {
        /// The marketplace label looked for.
        label: String,
        /// The zone looked in; `None` is the configured zone.
        zone: Option<Zone>,
        /// Filters besides label and zone, as text.
        filters: String,
    },
    /// Waiting for the outcome of an action failed or timed out.
    Wait(WaitError<CallError>),
}

impl fmt::Display for HelperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HelperError::Api(e) => e.fmt(f),
            HelperError::NoImage {
                label,
                zone,
                filters,
            } => write!(
                f,
                "no local image with label {label:?} in {}{filters}",
                zone.as_ref()
                    .map_or("the configured zone".to_owned(), |z| format!("zone {z}"))
            ),
            HelperError::Wait(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for HelperError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HelperError::Api(e) => e.source(),
            HelperError::Wait(WaitError::Api(e)) => e.source(),
            _ => None,
        }
    }
}

impl From<CallError> for HelperError {
    fn from(e: CallError) -> Self {
        HelperError::Api(e)
    }
}

#[cfg(feature = "marketplace-v2")]
impl Client {
    /// The local image (whose `id` the Instance API boots) for a marketplace label in a zone,
    /// optionally compatible with a commercial type, of an architecture and an image type.
    pub async fn find_local_image(
        &self,
        query: &ImageQuery,
    ) -> Result<crate::marketplace_v2::types::LocalImage, HelperError> {
        let mut list = self
            .marketplace_v2()
            .list_local_images()
            .image_label(query.label.as_str());
        if let Some(zone) = &query.zone {
            list = list.zone(zone.clone());
        }
        let images = list.collect_all().await?;
        images
            .into_iter()
            .find(|image| query.accepts(image))
            .ok_or_else(|| {
                let mut filters = String::new();
                if let Some(t) = &query.commercial_type {
                    filters.push_str(&format!(", compatible with {t}"));
                }
                if let Some(a) = &query.arch {
                    filters.push_str(&format!(", arch {a}"));
                }
                if let Some(t) = &query.image_type {
                    filters.push_str(&format!(", type {t}"));
                }
                HelperError::NoImage {
                    label: query.label.clone(),
                    zone: query.zone.clone(),
                    filters,
                }
            })
    }
}

#[cfg(all(feature = "marketplace-v2", feature = "instance-v1"))]
impl Client {
    /// Creates a server whose `image` may be a marketplace label (`ubuntu_jammy`) instead of an
    /// image id: the label is resolved in the server's zone for its commercial type first.
    pub async fn create_server_from_label(
        &self,
        zone: Option<Zone>,
        mut request: crate::instance_v1::types::CreateServerRequest,
    ) -> Result<crate::instance_v1::types::CreateServerResponse, HelperError> {
        if let Some(image) = request
            .image
            .as_deref()
            .filter(|image| !scaleway_core::is_uuid(image))
        {
            let mut query =
                ImageQuery::label(image).commercial_type(request.commercial_type.clone());
            query.zone = zone.clone();
            let found = self.find_local_image(&query).await?;
            request.image = Some(found.id);
        }
        let mut create = self.instance_v1().create_server().body(request);
        if let Some(zone) = zone {
            create = create.zone(zone);
        }
        Ok(create.send().await?)
    }
}

/// A server power action and the state it should end in.
#[cfg(feature = "instance-v1")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowerAction {
    /// Start the server; ends `running`.
    PowerOn,
    /// Stop the server and release its node; ends `stopped`.
    PowerOff,
    /// Restart the server; ends `running`.
    Reboot,
}

#[cfg(feature = "instance-v1")]
impl PowerAction {
    fn action(self) -> crate::instance_v1::types::ServerAction {
        use crate::instance_v1::types::ServerAction;
        match self {
            PowerAction::PowerOn => ServerAction::Poweron,
            PowerAction::PowerOff => ServerAction::Poweroff,
            PowerAction::Reboot => ServerAction::Reboot,
        }
    }

    fn target(self) -> &'static str {
        match self {
            PowerAction::PowerOn | PowerAction::Reboot => "running",
            PowerAction::PowerOff => "stopped",
        }
    }
}

/// A server state as [`Client::power_and_wait`] judges it, with the server polled.
#[cfg(feature = "instance-v1")]
#[derive(serde::Serialize)]
struct Observed {
    /// The server's state, or `pending` while falling back to the start state is expected.
    state: String,
    #[serde(skip)]
    server: crate::instance_v1::types::Server,
}

#[cfg(feature = "instance-v1")]
impl Client {
    /// Sends a power action to a server in `zone` (default: the configured zone), then polls
    /// until the server is in the state the action leads to (`running` or `stopped`) and
    /// returns it.
    ///
    /// The wait ends at once, with [`WaitError::Failed`] naming the state, when the server is
    /// `locked`, or when it falls back to where it started after a transition began (a power-on
    /// that ends `stopped`).
    pub async fn power_and_wait(
        &self,
        server_id: &str,
        zone: Option<Zone>,
        action: PowerAction,
        options: &WaitOptions,
    ) -> Result<crate::instance_v1::types::Server, HelperError> {
        let instance = self.instance_v1();
        let mut send = instance
            .server_action()
            .server_id(server_id)
            .body_map(|body| body.action(Some(action.action())));
        let mut get = instance.get_server().server_id(server_id);
        if let Some(zone) = zone {
            send = send.zone(zone.clone());
            get = get.zone(zone);
        }
        send.send().await?;
        let target = action.target();
        let fallback = match target {
            "running" => "stopped",
            _ => "running",
        };
        let transition_seen = std::sync::atomic::AtomicBool::new(false);
        let observed = scaleway_core::wait::poll_until(
            options,
            "/state",
            &[target],
            &[fallback, "locked"],
            || {
                let request = get.clone();
                let transition_seen = &transition_seen;
                async move {
                    let server = request.send().await?.server;
                    let state = server.state.to_string();
                    if matches!(state.as_str(), "starting" | "stopping") {
                        transition_seen.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    let state = if state == fallback
                        && !transition_seen.load(std::sync::atomic::Ordering::Relaxed)
                    {
                        // Still where it started: the action has not begun yet.
                        "pending".to_owned()
                    } else {
                        state
                    };
                    Ok::<_, CallError>(Observed { state, server })
                }
            },
        )
        .await
        .map_err(HelperError::Wait)?;
        Ok(observed.server)
    }
}

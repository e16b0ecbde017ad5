//! The Helpdock proxy: serves the widget's files and the six browser-facing endpoints, and
//! forwards those to the SupportEngine helpdesk with the secret token only it knows.

pub mod assets;
pub mod catalog;
pub mod config;
pub mod demo;
pub mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod identity;
mod layers;
pub mod operations;
pub mod ownership;
pub mod perimeter;
mod routes;
pub mod secret;
mod server;
pub mod state;
mod upstream;

pub use catalog::{Catalog, CatalogConfig};
pub use error::ApiError;
pub use identity::Gatekeeper;
pub use operations::Readiness;
pub use ownership::OwnerCache;
pub use perimeter::Perimeter;
pub use routes::MAX_BODY_BYTES;
pub use secret::Secret;
pub use server::{ServerConfig, bind_shared, serve, serve_on_threads};
pub use upstream::{HelpdeskTimeZone, Upstream, UpstreamConfig};

use axum::Router;
use axum::extract::FromRef;
use std::path::Path;
use std::sync::Arc;

/// What every handler may use.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The helpdesk client (holds the token).
    pub upstream: Upstream,
    /// Categories and custom fields, cached.
    pub catalog: Catalog,
    /// The directory whose files are served at `/<file>` (shared: the state is cloned per request).
    pub assets_dir: Arc<Path>,
    /// Decides who each visitor is.
    pub gatekeeper: Arc<Gatekeeper>,
    /// Which tickets belong to whom, as learnt from the helpdesk.
    pub owners: OwnerCache,
    /// Origins, rate limits, remembered answers: the checks around the handlers.
    pub perimeter: Perimeter,
    /// What `/readyz` answers.
    pub readiness: Readiness,
}

impl FromRef<AppState> for Upstream {
    fn from_ref(state: &AppState) -> Upstream {
        state.upstream.clone()
    }
}

impl FromRef<AppState> for Catalog {
    fn from_ref(state: &AppState) -> Catalog {
        state.catalog.clone()
    }
}

impl FromRef<AppState> for Readiness {
    fn from_ref(state: &AppState) -> Readiness {
        state.readiness.clone()
    }
}

impl FromRef<AppState> for Arc<Gatekeeper> {
    fn from_ref(state: &AppState) -> Arc<Gatekeeper> {
        state.gatekeeper.clone()
    }
}

impl FromRef<AppState> for Perimeter {
    fn from_ref(state: &AppState) -> Perimeter {
        state.perimeter.clone()
    }
}

/// The whole proxy as a router: API, assets, JSON errors, headers, logging.
pub fn app(state: AppState) -> Router {
    let router = routes::router()
        .merge(operations::router())
        .merge(assets::router(&state.assets_dir));
    layers::wrap(router, state)
}

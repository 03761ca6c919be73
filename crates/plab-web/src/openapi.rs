//! The OpenAPI 3 document: its info and security scheme here, every operation
//! from the routers that serve it (`api::routes`, `scim::routes`).
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Perspective Lab API", description = "Reverse-mentoring programs: pairs, lab rules, the pair's private notes, sessions and private pulses."),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        // SCIM's own bearer token (`plab scim token new`): accepted under /scim/v2/ only.
        components.add_security_scheme(
            "scim",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("a SCIM token from `plab scim token new`, for /scim/v2/ only"))
                    .build(),
            ),
        );
    }
}

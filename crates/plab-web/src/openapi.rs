//! The OpenAPI 3 document, generated from the handlers' annotations.
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Perspective Lab API", description = "Reverse-mentoring programs: pairs, lab rules, the pair's private notes, sessions and private pulses."),
    paths(
        crate::api::healthz,
        crate::api::account::login,
        crate::api::account::logout,
        crate::api::account::logout_everywhere,
        crate::api::account::me,
        crate::api::account::change_password,
        crate::api::account::new_calendar_secret,
        crate::api::account::dismiss_reset_notice,
        crate::api::program_pairs,
        crate::api::pair,
        crate::api::list_notes,
        crate::api::add_note,
        crate::api::charter,
        crate::api::accept_charter,
        crate::api::calendar,
        crate::api::sessions::list,
        crate::api::sessions::hold,
        crate::api::sessions::cancel,
        crate::api::sessions::reschedule,
        crate::api::sessions::my_pulse,
        crate::api::sessions::answer_pulse,
        crate::api::perspectives::mine,
        crate::api::perspectives::set_mine,
        crate::api::perspectives::reset_mine,
        crate::api::get_settings,
        crate::api::put_settings,
    ),
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
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

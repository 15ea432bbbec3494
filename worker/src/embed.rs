//! `GET /embed`: the page in its widget form, for an ISP's or host's FAQ page.
//!
//! The page itself is the same static `index.html` (it sees `/embed` in its address and lays
//! itself out compactly); what only the worker can add is the header that says which parent
//! pages may frame it (`EMBED_ALLOWED_ORIGINS` → CSP `frame-ancestors`). Everything else in
//! the assets stays framable only by sendcheck's own pages (`dist/_headers`).

use sendcheck::embed::FrameAncestors;
use worker::{Env, Headers, Request, Response, Result};

/// Serves `index.html` with the deployment's `frame-ancestors` policy.
pub async fn page(req: &Request, env: &Env) -> Result<Response> {
    let mut url = req.url()?;
    if url.path() != "/embed" {
        // `/embed/` would make the page's relative `./style.css` point below `/embed/`.
        url.set_path("/embed");
        return Response::redirect_with_status(url, 301);
    }
    let setting = env
        .var("EMBED_ALLOWED_ORIGINS")
        .map(|v| v.to_string())
        .unwrap_or_default();
    let ancestors = match FrameAncestors::parse(&setting) {
        Ok(ancestors) => ancestors,
        Err(problem) => {
            let text = format!("the service is misconfigured: EMBED_ALLOWED_ORIGINS: {problem}");
            return Response::error(text, 500);
        }
    };
    let mut index = url.clone();
    index.set_path("/");
    index.set_query(None);
    let mut asset = env.assets("ASSETS")?.fetch(index.to_string(), None).await?;
    let status = asset.status_code();
    let body = asset.bytes().await?;
    let headers = Headers::new();
    for (name, value) in asset.headers().entries() {
        // The asset's own framing rule is for the full page; the widget's is set below.
        if !name.eq_ignore_ascii_case("content-security-policy")
            && !name.eq_ignore_ascii_case("x-frame-options")
            && !name.eq_ignore_ascii_case("content-length")
        {
            headers.set(&name, &value)?;
        }
    }
    headers.set("content-security-policy", &ancestors.header_value())?;
    Ok(Response::from_bytes(body)?
        .with_status(status)
        .with_headers(headers))
}

//! The app served on a real loopback socket, and a small HTTP/1.1 client that
//! can speak from any 127.0.0.0/8 address: what an attacker on the network sees,
//! with the peer address the server throttles by.
use axum::http::StatusCode;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Serves the app on 127.0.0.1, port chosen by the system, until dropped.
/// Takes the whole `App`, so that a test's async block keeps its database alive.
pub async fn serve(app: &super::App) -> Server {
    serve_state(app.state.clone()).await
}

/// Serves the app with this state (the same database, another configuration).
pub async fn serve_state(state: plab_web::AppState) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(plab_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    Server { addr, stop: Some(stop) }
}

#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// `name=value` of a `Set-Cookie` for this cookie name.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }
}

/// A request as a client at `from` (any 127.x.y.z) would send it.
#[derive(Default)]
pub struct Req<'a> {
    pub from: Option<Ipv4Addr>,
    pub bearer: Option<&'a str>,
    pub cookie: Option<&'a str>,
    pub content_type: Option<&'a str>,
    /// Any other headers, sent as given (a forged `X-Forwarded-For`, say).
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Option<String>,
}

impl Server {
    pub async fn send(&self, method: &str, path: &str, req: Req<'_>) -> Answer {
        let socket = TcpSocket::new_v4().expect("socket");
        let from = req.from.unwrap_or(Ipv4Addr::LOCALHOST);
        socket.bind(SocketAddr::new(IpAddr::V4(from), 0)).expect("bind the client address");
        let mut stream = socket.connect(self.addr).await.expect("connect");
        let body = req.body.unwrap_or_default();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        if let Some(t) = req.bearer {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        if let Some(c) = req.cookie {
            head.push_str(&format!("Cookie: {c}\r\n"));
        }
        if let Some(ct) = req.content_type {
            head.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        for (name, value) in req.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).await.expect("write head");
        stream.write_all(body.as_bytes()).await.expect("write body");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("read");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse::<u16>().ok());
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect::<Vec<_>>();
        let chunked = headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
        let body = if chunked { dechunk(body) } else { body.to_owned() };
        Answer { status: StatusCode::from_u16(status.unwrap_or(599)).expect("status"), headers, body }
    }

    pub async fn json(&self, method: &str, path: &str, bearer: Option<&str>, body: Option<Value>) -> Answer {
        let req = Req {
            bearer,
            content_type: body.as_ref().map(|_| "application/json"),
            body: body.map(|b| b.to_string()),
            ..Req::default()
        };
        self.send(method, path, req).await
    }

    /// Signs in through the API; the token.
    pub async fn token(&self, email: &str, password: &str) -> String {
        let answer = self
            .json("POST", "/api/v1/auth/login", None, Some(serde_json::json!({"email": email, "password": password})))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{email}: {}", answer.body);
        answer.json()["token"].as_str().expect("token").to_owned()
    }

    /// Signs in through the page as a browser would: the session cookie and the CSRF token of its forms.
    pub async fn browser(&self, email: &str, password: &str) -> (String, String) {
        let front = self.send("GET", "/", Req::default()).await;
        let pre = front.cookie("plab_presession").expect("pre-session cookie");
        let form = super::browser::form(&[("csrf", &csrf_of(&front.body)), ("email", email), ("password", password)]);
        let req = Req {
            cookie: Some(&pre),
            content_type: Some("application/x-www-form-urlencoded"),
            body: Some(form),
            ..Req::default()
        };
        let signed_in = self.send("POST", "/login", req).await;
        let session = signed_in.cookie("plab_session").expect("a session cookie");
        let home = self.send("GET", "/home", Req { cookie: Some(&session), ..Req::default() }).await;
        assert_eq!(home.status, StatusCode::OK);
        (session.clone(), csrf_of(&home.body))
    }
}

pub fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("csrf field").to_owned()
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

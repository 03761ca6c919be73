//! A real SMTP server on loopback (`mailin-embedded`) for the mail tests of
//! the web and CLI crates, and what arrives at it read with a standard MIME
//! parser (`mail-parser`).
use mail_parser::{MessageParser, MimeHeaders};
use std::sync::{Arc, Mutex};

/// One message as the server received it.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Clone)]
struct Collect {
    inbox: Arc<Mutex<Vec<Received>>>,
    current: Received,
}

impl mailin_embedded::Handler for Collect {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> mailin_embedded::Response {
        self.current = Received { to: to.to_vec(), data: Vec::new() };
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        self.inbox.lock().expect("inbox").push(std::mem::take(&mut self.current));
        mailin_embedded::response::OK
    }
}

/// A port on loopback with nothing listening on it (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// An SMTP server on `port`, serving until the test process ends.
pub struct Sink {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    pub fn start(port: u16) -> Sink {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind the SMTP port");
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let mut server = mailin_embedded::Server::new(Collect { inbox: inbox.clone(), current: Received::default() });
        server.with_name("sink.test").with_num_threads(2).with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Sink { port, inbox }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received so far, and empties the inbox.
    pub fn take(&self) -> Vec<Mail> {
        std::mem::take(&mut *self.inbox.lock().expect("inbox")).into_iter().map(Mail::parse).collect()
    }

    /// Everything received so far, left in the inbox.
    pub fn parsed(&self) -> Vec<Mail> {
        self.inbox.lock().expect("inbox").iter().cloned().map(Mail::parse).collect()
    }

    /// How many messages arrived so far.
    pub fn count(&self) -> usize {
        self.inbox.lock().expect("inbox").len()
    }
}

/// A received message, parsed.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    pub raw: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
    /// The `text/calendar` part's `method` parameter and text.
    pub calendar: Option<(String, String)>,
    /// File names of attachments.
    pub attachments: Vec<String>,
}

impl Mail {
    fn parse(r: Received) -> Mail {
        let message = MessageParser::default().parse(&r.data).expect("a MIME message");
        let mut calendar = None;
        let mut attachments = Vec::new();
        for part in &message.parts {
            if let Some(ct) = part.content_type()
                && ct.ctype().eq_ignore_ascii_case("text")
                && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("calendar"))
                && part.attachment_name().is_none()
            {
                let method = ct.attribute("method").unwrap_or_default().to_owned();
                calendar = Some((method, part.text_contents().unwrap_or_default().to_owned()));
            }
            if let Some(name) = part.attachment_name() {
                attachments.push(name.to_owned());
            }
        }
        Mail {
            to: r.to,
            raw: String::from_utf8_lossy(&r.data).into_owned(),
            subject: message.subject().unwrap_or_default().to_owned(),
            message_id: message.message_id().unwrap_or_default().to_owned(),
            text: message.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
            html: message.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
            calendar,
            attachments,
        }
    }
}

// A real OpenID provider on loopback for e2e/oidc.sh: the `oidc-provider` package (its
// development login and consent pages), with one registered confidential client, plus a
// small control server through which e2e/oidc.mjs plays the parts a test needs:
//
//   POST /accounts   {"LOGIN": {"sub": …, "email": …, …}, …}  the people the provider knows
//                    (the login name typed on the provider's sign-in page picks the account;
//                    any password is accepted)
//   POST /tamper     {"claims": {…}, "header": {…}, "resign": bool, "signature": "…"} or {}:
//                    a man in the middle at the token endpoint. It writes `claims` over the ID
//                    token's payload and `header` over its header, keeping the signature; or,
//                    with `resign`, signs the result with the provider's own key (a token the
//                    provider could have issued, with claims the client must refuse); or puts
//                    `signature` in its place. {} stops it.
//   POST /rotate     a new signing key set under the same issuer (a fresh Provider instance,
//                    as after a restart); the old keys leave the JWKS
//   GET  /log        {"requests": [{method, path, status}], "kids": […]} what the provider served
//
// Environment: OIDC_REDIRECT_URI (the client's one redirect URI), OIDC_CLIENT_ID,
// OIDC_CLIENT_SECRET; optional OIDC_PORT and OIDC_CONTROL_PORT (default: free ports), OIDC_ISSUER_HOST (default localhost: a different site from
// plab's 127.0.0.1, so the callback is a cross-site navigation as with a real provider).
// The provider listens on 127.0.0.1; once both servers listen, one line goes to stderr:
//   issuer http://localhost:PORT control http://127.0.0.1:PORT
import http from 'node:http';
import { createPrivateKey, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import Provider from 'oidc-provider';

const REDIRECT_URI = process.env.OIDC_REDIRECT_URI ?? '';
const CLIENT_ID = process.env.OIDC_CLIENT_ID ?? '';
const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET ?? '';
const HOST = process.env.OIDC_ISSUER_HOST ?? 'localhost';
if (!REDIRECT_URI || !CLIENT_ID || !CLIENT_SECRET) {
  console.error('oidc-provider.mjs: set OIDC_REDIRECT_URI, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (run e2e/oidc.sh)');
  process.exit(2);
}

let accounts = {};
let tamper = null; // claims written over the ID token's payload at the token endpoint
const requests = [];
const cookieKeys = [randomBytes(32).toString('base64url')];

function newSigningKeys() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: `k-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' }] };
}

/** RS256 with the provider's current signing key: a token the provider could have issued. */
function sign(input) {
  const key = createPrivateKey({ key: jwks.keys[0], format: 'jwk' });
  return cryptoSign('sha256', Buffer.from(input), key).toString('base64url');
}

const b64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const jsonb64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');

function newProvider(issuer, jwks) {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks,
    cookies: { keys: cookieKeys },
    // The code flow with PKCE only; every client must send an S256 code challenge.
    pkce: { required: () => true },
    responseTypes: ['code'],
    scopes: ['openid', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'employee_number'],
    },
    // Put the scopes' claims in the ID token itself (the default gives them only at userinfo).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      const a = accounts[id];
      if (!a) return undefined;
      return {
        accountId: id,
        async claims() {
          const { sub, ...claims } = accounts[id] ?? a;
          return { sub, ...claims };
        },
      };
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const seen = { method: ctx.method, path: ctx.path, status: ctx.status };
    requests.push(seen);
    if (ctx.method === 'POST' && ctx.path === '/token') {
      // How the client authenticated, and what the ID token it got says.
      seen.auth = /^basic /i.test(ctx.get('authorization')) ? 'basic' : 'not basic';
      if (ctx.status === 200 && ctx.body?.id_token) {
        const [header, payload, signature] = ctx.body.id_token.split('.');
        const claims = b64json(payload);
        Object.assign(seen, { sub: claims.sub, email: claims.email, nonce: claims.nonce, kid: b64json(header).kid });
        if (tamper) {
          const head = tamper.header ? jsonb64({ ...b64json(header), ...tamper.header }) : header;
          const body = jsonb64({ ...claims, ...(tamper.claims ?? {}) });
          let sig = signature;
          if (tamper.resign) sig = sign(`${head}.${body}`);
          if (tamper.signature !== undefined) sig = tamper.signature;
          ctx.body = { ...ctx.body, id_token: `${head}.${body}.${sig}` };
          seen.tampered = true;
        }
      }
    }
  });
  provider.on('server_error', (ctx, err) => console.error(`oidc-provider: server_error ${ctx.path}: ${err?.stack ?? err}`));
  return provider;
}

// plab's port is chosen before plab starts (it is in the redirect URI): never take it here.
const PLAB_PORT = Number(new URL(REDIRECT_URI).port);

// A fixed port (OIDC_PORT, OIDC_CONTROL_PORT: a newcomer following the README) or any free one.
async function listen(server, fixed) {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(fixed ?? 0), '127.0.0.1', () => resolve(server.address().port));
    });
    if (fixed) return port;
    if (port !== PLAB_PORT) return port;
    await new Promise((resolve) => server.close(resolve));
  }
}

let jwks = newSigningKeys();
let handler = null;
const front = http.createServer((req, res) => handler(req, res));
const port = await listen(front, process.env.OIDC_PORT);
const issuer = `http://${HOST}:${port}`;
handler = newProvider(issuer, jwks).callback();

function readJson(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        resolve(body ? JSON.parse(body) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

const control = http.createServer(async (req, res) => {
  const reply = (status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  try {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'POST' && path === '/accounts') {
      accounts = { ...accounts, ...(await readJson(req)) };
      return reply(200, { accounts: Object.keys(accounts) });
    }
    if (req.method === 'POST' && path === '/tamper') {
      const body = await readJson(req);
      tamper = Object.keys(body).length > 0 ? body : null;
      return reply(200, { tamper });
    }
    if (req.method === 'POST' && path === '/rotate') {
      jwks = newSigningKeys();
      handler = newProvider(issuer, jwks).callback();
      return reply(200, { kids: jwks.keys.map((k) => k.kid) });
    }
    if (req.method === 'GET' && path === '/log') {
      return reply(200, { requests, kids: jwks.keys.map((k) => k.kid) });
    }
    return reply(404, { error: 'no such control' });
  } catch (e) {
    return reply(500, { error: String(e?.stack ?? e) });
  }
});
const controlPort = await listen(control, process.env.OIDC_CONTROL_PORT);
console.error(`issuer ${issuer} control http://127.0.0.1:${controlPort}`);

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    front.close();
    control.close();
    process.exit(0);
  });
}

// A real OpenID provider (npm oidc-provider) on 127.0.0.1 for Målpil's tests.
//
// Started by tests/oidc_provider.py with these environment variables:
//   OIDC_PORT      the port to listen on (127.0.0.1 only)
//   OIDC_CLIENTS   JSON list of clients: [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}]
//   OIDC_JWKS      JSON {keys: [...]} private signing keys (restart with new keys = key rotation)
//   OIDC_ACCOUNTS  JSON {accountId: {claims...}} (optional; also settable at run time, see below)
//
// devInteractions give the login form (any login, any password: the login is the account id),
// consent is granted without asking (a first-party client).
//
// A small admin interface under /__test/ lets a test choose, at run time:
//   POST /__test/accounts  {accountId: claims}   the accounts and the claims their ID tokens carry
//   POST /__test/mode      {"mode": "..."}       how the token endpoint's ID token is altered after the
//        provider issued it: "" (not at all), "wrong_audience", "expired", "bad_signature" (signed by
//        a key the JWKS does not hold), "garbage" (a token response that is not JSON)
//   GET  /__test/garbage                          a page of nonsense (a "discovery document" that is not one)
import { createServer } from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS);
const jwks = JSON.parse(process.env.OIDC_JWKS);
let accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
let mode = '';

const configuration = {
  clients: clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  jwks,
  pkce: { required: () => true },
  // The claims go into the ID token (as Entra ID puts roles there), not only into userinfo.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'roles', 'institutionsnummer', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  // First-party client: consent is implied, so the only interaction is the login form.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['roles', 'institutionsnummer', 'groups', 'email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...(accounts[id] || {}) };
      },
    };
  },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  cookies: { keys: ['maalpil-test-provider-cookie-key'] },
};

const provider = new Provider(issuer, configuration);
const strangerKey = await jose.generateKeyPair('RS256');
const signingKey = await jose.importJWK(jwks.keys[0], 'RS256');

async function alter(idToken) {
  const claims = jose.decodeJwt(idToken);
  const header = jose.decodeProtectedHeader(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = signingKey;
  if (mode === 'wrong_audience') claims.aud = 'someone-else';
  if (mode === 'expired') {
    claims.iat = now - 7200;
    claims.exp = now - 3600;
  }
  if (mode === 'bad_signature') key = strangerKey.privateKey;
  return new jose.SignJWT(claims).setProtectedHeader({ alg: header.alg, kid: header.kid }).sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && mode) {
    if (mode === 'garbage') {
      ctx.type = 'text/html';
      ctx.body = '<html><body>Service Unavailable (not JSON)</body></html>';
      return;
    }
    const body = typeof ctx.body === 'string' ? JSON.parse(ctx.body) : { ...ctx.body };
    if (body.id_token) body.id_token = await alter(body.id_token);
    ctx.body = body;
  }
});

function readJson(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => {
      try { resolve(JSON.parse(data || '{}')); } catch (error) { reject(error); }
    });
  });
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  if (req.url.startsWith('/__test/')) {
    try {
      if (req.method === 'POST' && req.url === '/__test/accounts') {
        accounts = await readJson(req);
      } else if (req.method === 'POST' && req.url === '/__test/mode') {
        ({ mode } = await readJson(req));
      } else if (req.url === '/__test/garbage') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Velkommen! Dette er ikke et discovery-dokument.</body></html>');
        return;
      } else {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(204);
      res.end();
    } catch (error) {
      res.writeHead(400);
      res.end(String(error));
    }
    return;
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

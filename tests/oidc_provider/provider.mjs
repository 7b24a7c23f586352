// Test only: a real OpenID provider (the `oidc-provider` package) on 127.0.0.1, started by
// tests/accounts/oidc_provider.py. It prints one line of JSON with its issuer once it
// listens, and stops when its standard input closes (when the test process ends).
//
// Invented test users (accountId = e-mail address), each with the password
// "provider-test-password":
//   a.mfa@testboom.example     amr ["pwd","mfa"], acr urn:meldcode:test:loa2
//   b.pwd@testboom.example     amr ["pwd"],       acr urn:meldcode:test:loa1
//   c.onbekend@testboom.example amr ["pwd","mfa"]  (no account in Meldcode)
//   d.niet-bevestigd@elders.example amr ["pwd"], email_verified false
// Clients: "meldcode" (ID tokens live 10 minutes) and "meldcode-kort" (1 second, for the
// test of an expired token); both with the secret "meldcode-test-secret".
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const USERS = {
  'a.mfa@testboom.example': { name: 'Anna Mfa', verified: true, amr: ['pwd', 'mfa'], acr: 'urn:meldcode:test:loa2' },
  'b.pwd@testboom.example': { name: 'Bas Pwd', verified: true, amr: ['pwd'], acr: 'urn:meldcode:test:loa1' },
  'c.onbekend@testboom.example': { name: 'Cas Onbekend', verified: true, amr: ['pwd', 'mfa'], acr: 'urn:meldcode:test:loa2' },
  'd.niet-bevestigd@elders.example': { name: 'Dewi Elders', verified: false, amr: ['pwd'], acr: 'urn:meldcode:test:loa1' },
};
const CALLBACK_PATH = '/inloggen/schoolaccount/terug/';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', 'testserver']);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

function client(clientId) {
  return {
    client_id: clientId,
    client_secret: 'meldcode-test-secret',
    redirect_uris: [`http://127.0.0.1${CALLBACK_PATH}`],
    post_logout_redirect_uris: ['http://127.0.0.1/inloggen/'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  };
}

function loopback(value, path) {
  // The tests' servers listen on a random port (and the Django test client is "testserver").
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && LOOPBACK.has(url.hostname) && url.pathname === path && !url.hash;
  } catch {
    return false;
  }
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, error = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider</title></head>
<body><h1>Test school account</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>E-mail <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in at the provider</button></form></body></html>`;
}

async function formBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function finish(provider, ctx, details, accountId) {
  const user = USERS[accountId];
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const result = { consent: { grantId } };
  if (details.prompt.name === 'login') {
    result.login = { accountId, amr: user.amr, acr: user.acr, remember: false };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

const port = Number(process.env.PORT || 0);
const server = createServer();
await new Promise((resolve) => { server.listen(port, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [client('meldcode'), client('meldcode-kort')],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-only-cookie-key'] },
  acrValues: ['urn:meldcode:test:loa1', 'urn:meldcode:test:loa2'],
  // As Entra ID does: how the person signed in (acr, amr, auth_time) is in every ID token.
  claims: {
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    acr: null,
    amr: null,
    auth_time: null,
    sid: null,
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    Grant: 600,
    IdToken: (ctx, token, cl) => (cl.clientId === 'meldcode-kort' ? 1 : 600),
    Interaction: 600,
    Session: 600,
  },
  async findAccount(ctx, accountId) {
    const user = USERS[accountId];
    if (!user) return undefined;
    return {
      accountId,
      async claims() {
        return { sub: accountId, email: accountId, email_verified: user.verified, name: user.name };
      },
    };
  },
});
provider.Client.prototype.redirectUriAllowed = function allowed(value) {
  return loopback(value, CALLBACK_PATH);
};
provider.Client.prototype.postLogoutRedirectUriAllowed = function allowed(value) {
  return loopback(value, '/inloggen/');
};

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name !== 'login') {
    // Consent for a first-party client: granted at once.
    return finish(provider, ctx, details, details.session.accountId);
  }
  if (ctx.method === 'POST' && match[2]) {
    const form = await formBody(ctx.req);
    const login = (form.get('login') || '').trim().toLowerCase();
    if (USERS[login] && form.get('password') === 'provider-test-password') {
      return finish(provider, ctx, details, login);
    }
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = loginPage(details.uid, 'Wrong e-mail or password.');
    return undefined;
  }
  ctx.type = 'html';
  ctx.body = loginPage(details.uid);
  return undefined;
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));

import { html } from 'hono/html';
import type { OAuthClient } from '../../ports/oauth-client-store.js';

/** The consent page: who asks (name, where it redirects), for what; one CSRF-protected form. */
export async function renderConsentPage(input: { client: OAuthClient; scopes: string[]; redirectUri: string; requestId: string; csrfToken: string }): Promise<string> {
  const { client } = input;
  const origin = client.source === 'metadata_document' ? new URL(client.clientId).host : undefined;
  return String(
    await html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow access to Microsoft 365?</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}code{word-break:break-all}</style></head>
<body>
<h1>Allow <strong>${client.clientName}</strong> to use your Microsoft 365 data?</h1>
${origin === undefined ? '' : html`<p>Client published by <code>${origin}</code>.</p>`}
${client.source === 'dynamic' ? html`<p>This application registered itself; only continue if you started this sign-in.</p>` : ''}
<p>After you sign in with Microsoft, you will be sent back to <code>${input.redirectUri}</code>.</p>
<p>It asks for:</p>
<ul>${input.scopes.map((s) => html`<li><code>${s}</code></li>`)}</ul>
<form method="post" action="/authorize/consent">
<input type="hidden" name="request" value="${input.requestId}">
<input type="hidden" name="csrf" value="${input.csrfToken}">
<button type="submit" name="decision" value="approve">Continue to Microsoft sign-in</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form></body></html>`,
  );
}

export async function renderErrorPage(message: string): Promise<string> {
  return String(await html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>Sign-in cannot continue</h1><p>${message}</p></body></html>`);
}

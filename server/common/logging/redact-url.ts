// Query parameters that carry credentials: the event stream's token (browsers cannot set
// headers on EventSource) and Meta's webhook verify token. Logs keep the rest of the URL.
const SECRET_PARAMS = /([?&](?:access_token|hub\.verify_token|token)=)[^&#]*/gi;

// Invite tokens travel in the path: the API's preview and accept, and the page's link.
const INVITE_PATH = /^((?:\/api)?\/invites?\/)[^/?#]+/i;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]').replace(INVITE_PATH, '$1[redacted]');
}

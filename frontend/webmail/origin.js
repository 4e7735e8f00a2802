/**
 * Where a message comes from, as this server checked it on arrival (SPF, DKIM, DMARC; issue 13): only the
 * Authentication-Results field that carries this server's host name counts — the server removes every other field
 * claiming that name from arriving mail, so a sender cannot forge it.
 * @param {string[]} values - the Authentication-Results values of the trusted header block (inside the ciphertext
 *   for mail encrypted on arrival, the outer header block otherwise)
 * @param {string} authservId - this server's host name (essaim.hostname)
 * @returns {?{status: 'verified'|'failed'|'unverified', domain: ?string}} null when the server did not check it
 */
export function originOf(values, authservId) {
  if (!authservId) return null;
  const id = authservId.toLowerCase();
  const ours = (values || []).find((v) => v.trim().toLowerCase().split(/[\s;]/)[0] === id);
  if (!ours) return null;
  const dmarc = ((/\bdmarc=([a-z]+)/i.exec(ours) || [])[1] || '').toLowerCase();
  const domain = (/\bheader\.from=([^\s;]+)/i.exec(ours) || [])[1] || null;
  if (dmarc === 'pass' && domain) return { status: 'verified', domain };
  if (dmarc === 'fail') return { status: 'failed', domain };
  return { status: 'unverified', domain };
}

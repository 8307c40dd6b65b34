// Passkeys (WebAuthn) in the browser: the server's options in, the authenticator's answer out, as JSON with the
// binary fields in base64url (ADR 0027). A module file, not inline script, so the Content-Security-Policy stays at
// script-src 'self'. App.razor loads it on every page, so the sign-in button works however the page was reached;
// the console's pages import the same URL through JS interop, which gives them this same module instance.

function toBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), c => c.charCodeAt(0));
}

function toBase64Url(buffer) {
  let text = "";
  for (const byte of new Uint8Array(buffer)) {
    text += String.fromCharCode(byte);
  }
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function descriptors(list) {
  return (list ?? []).map(d => (d.transports ? { type: d.type, id: toBytes(d.id), transports: d.transports } : { type: d.type, id: toBytes(d.id) }));
}

function creationOptions(json) {
  const options = JSON.parse(json);
  return {
    ...options,
    challenge: toBytes(options.challenge),
    user: { ...options.user, id: toBytes(options.user.id) },
    excludeCredentials: descriptors(options.excludeCredentials),
  };
}

function requestOptions(json) {
  const options = JSON.parse(json);
  return { ...options, challenge: toBytes(options.challenge), allowCredentials: descriptors(options.allowCredentials) };
}

function attestationJson(credential) {
  return JSON.stringify({
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toBase64Url(credential.response.clientDataJSON),
      attestationObject: toBase64Url(credential.response.attestationObject),
      transports: credential.response.getTransports?.() ?? [],
    },
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
  });
}

function assertionJson(credential) {
  const response = credential.response;
  return JSON.stringify({
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toBase64Url(response.clientDataJSON),
      authenticatorData: toBase64Url(response.authenticatorData),
      signature: toBase64Url(response.signature),
      userHandle: response.userHandle ? toBase64Url(response.userHandle) : null,
    },
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
  });
}

// The outcome the app's code reads: { credential: "<json>" }, or { error: "<DOMException name>" } when the browser or
// the person said no (NotAllowedError: cancelled or timed out; InvalidStateError: this authenticator has one already).
async function run(ceremony) {
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return { error: "NotSupportedError" };
  }
  try {
    return { credential: await ceremony() };
  } catch (error) {
    return { error: error?.name ?? "UnknownError" };
  }
}

// Makes a new passkey from the registration options the server sent.
export function create(optionsJson) {
  return run(async () => attestationJson(await navigator.credentials.create({ publicKey: creationOptions(optionsJson) })));
}

// Proves a passkey against the options the server sent.
export function get(optionsJson) {
  return run(async () => assertionJson(await navigator.credentials.get({ publicKey: requestOptions(optionsJson) })));
}

// The sign-in page is static (no circuit): its "Sign in with a passkey" button asks the server for options, lets the
// browser prove a passkey, and posts the answer back with the page's antiforgery token. The server starts the session
// and says where to go. Listening on the document keeps it working after Blazor's enhanced navigation swaps the page.
const messages = {
  NotAllowedError: "No passkey was used: the request was cancelled or timed out.",
  NotSupportedError: "This browser cannot use passkeys. Sign in with your email and password.",
  SecurityError: "This address cannot use passkeys. Sign in with your email and password.",
};

async function post(url, token, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", RequestVerificationToken: token },
    body: JSON.stringify(body),
  });
  const answer = response.headers.get("Content-Type")?.includes("application/json") ? await response.json() : {};
  return { ok: response.ok, status: response.status, ...answer };
}

async function signIn(panel) {
  const form = document.querySelector("form.account-form");
  const token = form?.querySelector("input[name=__RequestVerificationToken]")?.value ?? "";
  const email = form?.querySelector("input[type=email]")?.value ?? "";
  const returnUrl = form?.querySelector("input[name=returnUrl]")?.value ?? "";
  const status = panel.querySelector("[data-passkey-status]");
  const button = panel.querySelector("button");
  const show = text => {
    status.textContent = text;
    status.hidden = !text;
  };

  button.disabled = true;
  show("");
  try {
    const options = await post(panel.dataset.optionsUrl, token, { email });
    if (!options.ok) {
      show(options.error ?? (options.status === 429 ? "Too many attempts. Wait a minute, then try again." : "Passkeys are not available just now."));
      return;
    }

    const proved = await get(options.options);
    if (proved.error) {
      show(messages[proved.error] ?? "No passkey was used.");
      return;
    }

    const signedIn = await post(panel.dataset.verifyUrl, token, { response: proved.credential, returnUrl });
    if (signedIn.ok && signedIn.location) {
      window.location.assign(signedIn.location);
      return;
    }

    show(signedIn.error ?? (signedIn.status === 429 ? "Too many attempts. Wait a minute, then try again." : "That passkey did not sign you in."));
  } catch {
    show("The server could not be reached. Try again in a moment.");
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("click", event => {
  const button = event.target instanceof Element ? event.target.closest("[data-passkey-signin] button") : null;
  if (button) {
    event.preventDefault();
    signIn(button.closest("[data-passkey-signin]"));
  }
});
